using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Mantissa.Arch;
using Mantissa.Workloads.Onnx;

namespace Mantissa.Workloads.Tests.Onnx;

/// <summary>
/// The ONNX reader on a real trained model (PaddleOCR's text-direction classifier, tests/fixtures/onnx; expected values
/// from an independent decode with the npm package onnx-proto, see the fixture's README) and on hand-encoded files.
/// </summary>
public class OnnxReaderTests
{
    internal static string Fixture([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "fixtures", "onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"));

    [Fact]
    public void RealModelHeaderAndNodeCounts()
    {
        var m = OnnxReader.Read(Fixture());
        Assert.Equal(8, m.IrVersion);
        Assert.Equal(9, m.DefaultOpset);
        Assert.Equal("Model from PaddlePaddle.", m.Graph.Name);
        Assert.Equal(471, m.Graph.Nodes.Count);
        Assert.Empty(m.Graph.Initializers);
        var ops = m.Graph.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(250, ops["Constant"]);
        Assert.Equal(53, ops["Conv"]);
        Assert.Equal(35, ops["BatchNormalization"]);
        Assert.Equal(9, ops["HardSigmoid"]);
        Assert.Equal(1, ops["MatMul"]);
        Assert.Equal(18, ops.Count);
    }

    [Fact]
    public void RealModelInputsOutputsAndAttributes()
    {
        var g = OnnxReader.Read(Fixture()).Graph;
        var input = Assert.Single(g.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(OnnxDataType.Float, input.ElemType);
        Assert.Equal("p2o.DynamicDimension.0,3,p2o.DynamicDimension.1,p2o.DynamicDimension.2", string.Join(",", input.Shape!));
        var output = Assert.Single(g.Outputs);
        Assert.Equal("softmax_0.tmp_0", output.Name);
        Assert.Equal("p2o.DynamicDimension.3,2", string.Join(",", output.Shape!));

        var conv = g.Nodes.First(n => n.OpType == "Conv");
        Assert.Equal(213, g.Nodes.ToList().IndexOf(conv));
        Assert.Equal(new[] { "x", "conv2d_0.w_0" }, conv.Inputs);
        Assert.Equal(new[] { "conv2d_53.tmp_0" }, conv.Outputs);
        Assert.Equal(OnnxAttributeType.Ints, conv.Attribute("kernel_shape")!.Type);
        Assert.Equal(new long[] { 3, 3 }, conv.Attribute("kernel_shape")!.Ints);
        Assert.Equal(new long[] { 2, 2 }, conv.Attribute("strides")!.Ints);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, conv.Attribute("pads")!.Ints);
        Assert.Equal(1, conv.Attribute("group")!.Int);
        var clip = g.Nodes.First(n => n.OpType == "Clip");
        Assert.Equal(6f, clip.Attribute("max")!.Float);
        Assert.Equal(0f, clip.Attribute("min")!.Float);
    }

    [Fact]
    public void RealModelWeightsAreConstantTensors()
    {
        var m = OnnxReader.Read(Fixture());
        var constants = m.Graph.ConstantTensors();
        Assert.Equal(250, constants.Count);
        Assert.Equal(133_665, constants.Sum(t => t.ElementCount));
        Assert.Equal(249, constants.Count(t => t.DataType == OnnxDataType.Float));
        Assert.Equal(1, constants.Count(t => t.DataType == OnnxDataType.Int32));

        var conv0 = constants.Single(t => t.Name == "conv2d_0.w_0");
        Assert.Equal(new long[] { 8, 3, 3, 3 }, conv0.Dims);
        Assert.Equal(OnnxTensorStorage.Raw, conv0.Storage);
        var values = conv0.ToFloatTensor(m.Path);
        Assert.Equal(216, values.Count);
        Assert.Equal(-0.037830691784620285f, values.Values[0]);

        var fc = constants.Single(t => t.Name == "fc_0.w_0").ToFloatTensor(m.Path);
        Assert.Equal(new long[] { 200, 2 }, fc.Shape);
        Assert.Equal(0.07701104879379272f, fc.Values[0]);
    }

    [Fact]
    public void IntegerTensorIsRefusedAsRealValues()
    {
        var m = OnnxReader.Read(Fixture());
        var i32 = m.Graph.ConstantTensors().Single(t => t.DataType == OnnxDataType.Int32);
        var e = Assert.Throws<MantissaException>(() => i32.ToFloatTensor(m.Path));
        Assert.Contains("fill_constant_1.tmp_0", e.Message);
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public void TruncatedModelIsAnErrorNamingThePath()
    {
        var bytes = File.ReadAllBytes(Fixture());
        var path = Temp(bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = Assert.Throws<MantissaException>(() => OnnxReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData("this is plain text, not a protobuf model\n")]
    [InlineData("{\"json\": true}")]
    public void NonOnnxFileIsAnErrorNamingThePath(string text)
    {
        var path = Temp(System.Text.Encoding.UTF8.GetBytes(text));
        var e = Assert.Throws<MantissaException>(() => OnnxReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an ONNX model", e.Message);
    }

    [Fact]
    public void EmptyAndMissingFilesAreErrors()
    {
        var empty = Temp(Array.Empty<byte>());
        Assert.Contains("empty", Assert.Throws<MantissaException>(() => OnnxReader.Read(empty)).Message);
        Assert.Contains("file not found", Assert.Throws<MantissaException>(() => OnnxReader.Read("/nonexistent/m.onnx")).Message);
    }

    [Fact]
    public void HandEncodedInitializersInEveryStorage()
    {
        // TensorProto fields (onnx.proto): dims=1, data_type=2, float_data=4, int32_data=5, name=8, raw_data=9,
        // external_data=13, data_location=14.
        var raw = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(raw, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4), -2.25f);
        var rawT = new Pb().PackedVarints(1, 2).Varint(2, 1).Str(8, "w_raw").Bytes_(9, raw);
        var typedT = new Pb().Varint(1, 1).Varint(1, 3).Varint(2, 1).Str(8, "w_typed").PackedFloats(4, 0.5f, -0f, 3f);
        // FLOAT16 in int32_data: 0x3C00 = 1.0, 0xC000 = -2.0 (IEEE 754 binary16).
        var halfT = new Pb().PackedVarints(1, 2).Varint(2, 10).Str(8, "w_half").PackedVarints(5, 0x3C00, 0xC000);
        var extBytes = new byte[16];
        BinaryPrimitives.WriteSingleLittleEndian(extBytes.AsSpan(8), 7.0f);
        BinaryPrimitives.WriteSingleLittleEndian(extBytes.AsSpan(12), 8.0f);
        var dir = Path.Combine(Path.GetTempPath(), $"mantissa-onnx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "weights.bin"), extBytes);
        var extT = new Pb().PackedVarints(1, 2).Varint(2, 1).Str(8, "w_ext")
            .Msg(13, new Pb().Str(1, "location").Str(2, "weights.bin"))
            .Msg(13, new Pb().Str(1, "offset").Str(2, "8"))
            .Msg(13, new Pb().Str(1, "length").Str(2, "8"))
            .Varint(14, 1);
        var absentT = new Pb().PackedVarints(1, 4).Varint(2, 1).Str(8, "w_absent");
        // ValueInfoProto: name=1, type=2; TypeProto.tensor_type=1; Tensor: elem_type=1, shape=2; Dimension: dim_value=1, dim_param=2.
        var input = new Pb().Str(1, "in").Msg(2, new Pb().Msg(1, new Pb().Varint(1, 1)
            .Msg(2, new Pb().Msg(1, new Pb().Str(2, "batch")).Msg(1, new Pb().Varint(1, 4)).Msg(1, new Pb()))));
        // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5; AttributeProto: name=1, f=2, i=3, ints=8, type=20.
        var node = new Pb().Str(1, "in").Str(1, "w_raw").Str(1, "").Str(2, "out").Str(3, "gemm0").Str(4, "Gemm")
            .Msg(5, new Pb().Str(1, "alpha").Fixed32(2, 0.5f).Varint(20, 1))
            .Msg(5, new Pb().Str(1, "transB").Varint(3, 1).Varint(20, 2));
        var graph = new Pb().Msg(1, node).Str(2, "g")
            .Msg(5, rawT).Msg(5, typedT).Msg(5, halfT).Msg(5, extT).Msg(5, absentT).Msg(11, input);
        // ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8 (domain=1, version=2).
        var model = new Pb().Varint(1, 10).Str(2, "hand").Msg(7, graph).Msg(8, new Pb().Str(1, "").Varint(2, 21));
        var path = Path.Combine(dir, "m.onnx");
        File.WriteAllBytes(path, model.Bytes);

        var m = OnnxReader.Read(path);
        Assert.Equal(10, m.IrVersion);
        Assert.Equal("hand", m.ProducerName);
        Assert.Equal(21, m.DefaultOpset);
        var n = Assert.Single(m.Graph.Nodes);
        Assert.Equal(new[] { "in", "w_raw", "" }, n.Inputs);
        Assert.Equal(0.5f, n.Attribute("alpha")!.Float);
        Assert.Equal(1, n.Attribute("transB")!.Int);
        var inp = Assert.Single(m.Graph.Inputs);
        Assert.Equal("batch,4,?", string.Join(",", inp.Shape!));

        var byName = m.Graph.Initializers.ToDictionary(t => t.Name);
        Assert.Equal(OnnxTensorStorage.Raw, byName["w_raw"].Storage);
        Assert.Equal(new[] { 1.5f, -2.25f }, byName["w_raw"].ToFloatTensor(path).Values);
        Assert.Equal(OnnxTensorStorage.Typed, byName["w_typed"].Storage);
        var typed = byName["w_typed"].ToFloatTensor(path);
        Assert.Equal(new long[] { 1, 3 }, typed.Shape);
        Assert.Equal(new[] { 0.5f, -0f, 3f }, typed.Values);
        Assert.True(float.IsNegative(typed.Values[1]));
        Assert.Equal(new[] { 1f, -2f }, byName["w_half"].ToFloatTensor(path).Values);
        Assert.Equal(OnnxTensorStorage.External, byName["w_ext"].Storage);
        Assert.Equal(new OnnxExternalData("weights.bin", 8, 8), byName["w_ext"].External);
        Assert.Equal(new[] { 7f, 8f }, byName["w_ext"].ToFloatTensor(path).Values);
        Assert.Equal(OnnxTensorStorage.Absent, byName["w_absent"].Storage);
        var e = Assert.Throws<MantissaException>(() => byName["w_absent"].ToFloatTensor(path));
        Assert.Contains("w_absent", e.Message);
        Assert.Contains("stores no values", e.Message);

        File.Delete(Path.Combine(dir, "weights.bin"));
        var missing = Assert.Throws<MantissaException>(() => byName["w_ext"].ToFloatTensor(path));
        Assert.Contains("weights.bin", missing.Message);
    }

    [Fact]
    public void RawDataOfTheWrongLengthIsAnError()
    {
        var t = new Pb().PackedVarints(1, 3).Varint(2, 1).Str(8, "short").Bytes_(9, new byte[8]);
        var model = new Pb().Varint(1, 8).Msg(7, new Pb().Msg(5, t));
        var path = Temp(model.Bytes);
        var e = Assert.Throws<MantissaException>(() => OnnxReader.Read(path).Graph.Initializers[0].ToFloatTensor(path));
        Assert.Contains("need 12 bytes but raw_data holds 8", e.Message);
    }

    private static string Temp(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mantissa-test-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
