using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Quantization;

public sealed class QuantDiskStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mantissa-quant-store-" + Guid.NewGuid().ToString("N"));
    private static readonly QuantKey Key = new("int4", Source: "student-t", Group: 32, Seed: 7, Count: 1 << 14);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string Entry() => Assert.Single(Directory.GetFiles(_dir));

    [Fact]
    public void AStoredErrorHasTheExactBitsOfTheComputationAndIsReadBackByTheNextProcess()
    {
        var store = new QuantDiskStore(_dir);
        var first = new QuantErrorCache(store).GetReport(Key);
        var direct = TensorQuantizer.Measure(TensorSource.Load("student-t", 7, 1 << 14), QuantSchemes.Resolve("int4", 32));
        Assert.Equal(direct.Error, first.Error);
        Assert.Equal(direct.BitsPerElement, first.BitsPerElement);
        Entry();

        var again = new QuantErrorCache(store).GetReport(Key with { Format = " INT4" });
        Assert.Equal(first.Error, again.Error);
        Assert.Equal(first.BitsPerElement, again.BitsPerElement);
        Assert.Equal("int4 (group 32)", $"{again.Scheme.Label} ({again.Scheme.GranularityText})");
    }

    [Fact]
    public void TheNextProcessServesTheEntryInsteadOfComputing()
    {
        var store = new QuantDiskStore(_dir);
        new QuantErrorCache(store).Get(Key);
        // replace the stored numbers: a process that reads the entry returns them, one that computes would not
        var lines = File.ReadAllLines(Entry());
        lines[2] = string.Join(' ', new[] { 4.5, 0.25, 12.0, 3.0 }.Select(x => BitConverter.DoubleToUInt64Bits(x).ToString("x16")));
        File.WriteAllLines(Entry(), lines);
        var report = new QuantErrorCache(store).GetReport(Key);
        Assert.Equal(new QuantError(0.25, 12.0, 3.0), report.Error);
        Assert.Equal(4.5, report.BitsPerElement);
    }

    [Fact]
    public void ADamagedEntryIsRecomputedAndRewritten()
    {
        var store = new QuantDiskStore(_dir);
        var good = new QuantErrorCache(store).Get(Key);
        File.WriteAllText(Entry(), "mantissa quant-error 1\ntruncated");
        Assert.Null(store.TryRead(Key.Normalized()));
        Assert.Equal(good, new QuantErrorCache(store).Get(Key));
        Assert.Equal(good, store.TryRead(Key.Normalized())!.Value.Error);
    }

    [Fact]
    public void OnlySyntheticSourcesAreStoredAndAnOffStoreStoresNothing()
    {
        var store = new QuantDiskStore(_dir);
        Assert.True(store.Covers(Key));
        Assert.True(store.Covers(Key with { Source = "Gaussian" }));
        Assert.False(store.Covers(Key with { Source = "/data/w.npy" }));
        Assert.False(store.Covers(Key with { Source = "/data/m.safetensors:w" }));
        var off = new QuantDiskStore(null);
        Assert.False(off.Covers(Key));
        new QuantErrorCache(off).Get(Key);
        Assert.False(Directory.Exists(_dir));
    }
}
