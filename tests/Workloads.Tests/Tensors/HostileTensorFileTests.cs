using Mantissa.Arch;
using Mantissa.Workloads.Tensors;
using static Mantissa.Workloads.Tests.Tensors.TestTensorFiles;

namespace Mantissa.Workloads.Tests.Tensors;

/// <summary>Issue 14 items 7–8: zero-sized, overflowing and duplicated tensors are user errors, not internal ones.</summary>
public class HostileTensorFileTests
{
    [Fact]
    public void AZeroSizedSafetensorsTensorIsAUserError()
    {
        var path = WriteSafetensors([new Entry("w", "F32", [0, 4], [])]);
        var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
        Assert.Equal($"{path}: tensor 'w': shape [0, 4] has no values (a dimension is 0); nothing to quantize", e.Message);
    }

    [Fact]
    public void AnOverflowingSafetensorsShapeIsAUserError()
    {
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}";
        var path = WriteSafetensors([new Entry("w", "F32", [1], F32([1f]))], header);
        var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
        Assert.Equal($"{path}: tensor 'w': shape [4294967296, 4294967296] has more elements than any file can hold (the count overflows 64 bits)", e.Message);
    }

    [Fact]
    public void AShapeWhoseByteCountOverflowsIsNotReportedAsAWrappedNumber()
    {
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,4]}}";
        var path = WriteSafetensors([new Entry("w", "F32", [1], F32([1f]))], header);
        var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
        Assert.Contains("overflows 64 bits", e.Message);
    }

    [Fact]
    public void ADuplicateTensorNameIsRefused()
    {
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        var path = WriteSafetensors([new Entry("w", "F32", [1], F32([1f]))], header);
        var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
        Assert.Equal($"{path}: the safetensors header names tensor 'w' twice", e.Message);
    }

    [Fact]
    public void NpyZeroSizedAndOverflowingShapesAreUserErrors()
    {
        var zero = WriteNpy("<f4", "(0, 3)", []);
        Assert.Equal($"{zero}: shape [0, 3] has no values (a dimension is 0); nothing to quantize",
            Assert.Throws<MantissaException>(() => NpyReader.Read(zero)).Message);
        var huge = WriteNpy("<f4", "(4294967296, 4294967296)", F32([1f]));
        Assert.Equal($"{huge}: shape [4294967296, 4294967296] has more elements than any file can hold (its size overflows 64 bits)",
            Assert.Throws<MantissaException>(() => NpyReader.Read(huge)).Message);
    }

    [Fact]
    public void DevicesAreRefusedBeforeOpening()
    {
        if (!File.Exists("/dev/zero")) return;
        Assert.Equal(".npy file '/dev/zero' is not a regular file (it is a character device); give a path to a file on disk",
            Assert.Throws<MantissaException>(() => NpyReader.Read("/dev/zero")).Message);
        Assert.Equal("safetensors file '/dev/urandom' is not a regular file (it is a character device); give a path to a file on disk",
            Assert.Throws<MantissaException>(() => SafetensorsReader.Read("/dev/urandom")).Message);
    }

    [Fact]
    public void ShapeProductsAreChecked()
    {
        Assert.Equal(12, TensorShape.TryElementCount([3, 4]));
        Assert.Equal(0, TensorShape.TryElementCount([0, long.MaxValue]));
        Assert.Null(TensorShape.TryElementCount([1L << 32, 1L << 32]));
        Assert.Equal(long.MaxValue, TensorShape.TryElementCount([long.MaxValue]));
    }
}
