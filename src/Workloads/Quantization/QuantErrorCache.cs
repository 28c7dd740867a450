using System.Collections.Concurrent;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Thread-safe memo of quantization errors per <see cref="QuantKey"/>: each key (and each tensor source) is computed
/// once, however many design points or threads ask, so sweeps can use <c>quant_sqnr_db</c> / <c>quant_mse</c> freely.
/// </summary>
public sealed class QuantErrorCache
{
    private readonly ConcurrentDictionary<QuantKey, Lazy<QuantReport>> _reports = new();
    // keyed on "source\0seed\0count" (a string key: a tuple over value types is a dictionary compiled at run time)
    private readonly ConcurrentDictionary<string, Lazy<FloatTensor>> _tensors = new();
    private readonly Func<QuantKey, QuantReport>? _compute;
    private readonly QuantDiskStore? _disk;
    private int _computations;

    /// <summary>The process-wide cache the sweep objectives use.</summary>
    public static QuantErrorCache Shared { get; } = new();

    /// <param name="disk">Where errors of synthetic tensors persist between processes; null: <see cref="QuantDiskStore.Default"/>.</param>
    public QuantErrorCache(QuantDiskStore? disk = null) => _disk = disk ?? QuantDiskStore.Default;

    /// <summary>A cache over a custom computation (tests count calls with it); nothing is read from or written to disk.</summary>
    internal QuantErrorCache(Func<QuantKey, QuantReport> compute) => _compute = compute;

    /// <summary>How many keys have been computed or read from disk (not served from this cache).</summary>
    public int Computations => Volatile.Read(ref _computations);

    /// <summary>MSE, SQNR (dB) and max abs error for the key, computed on first use.</summary>
    public QuantError Get(QuantKey key) => GetReport(key).Error;

    /// <summary>The full report (scheme, bits/element, error) for the key, computed on first use.</summary>
    public QuantReport GetReport(QuantKey key)
    {
        var k = key.Normalized();
        return _reports.GetOrAdd(k, kk => new Lazy<QuantReport>(() => Compute(kk), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>The tensor a source names, loaded once per (source, seed, count).</summary>
    public FloatTensor GetTensor(string source, ulong seed, int count) =>
        _tensors.GetOrAdd($"{source}\0{seed}\0{count}", _ => new Lazy<FloatTensor>(() => TensorSource.Load(source, seed, count))).Value;

    private QuantReport Compute(QuantKey key)
    {
        Interlocked.Increment(ref _computations);
        if (_compute is not null) return _compute(key);
        var scheme = QuantSchemes.Resolve(key.Recipe ?? key.Format, key.Group,
            key.Granularity is null ? null : QuantSchemes.ParseGranularity(key.Granularity), key.ScaleFormat);
        if (_disk!.TryRead(key) is { } stored) return new QuantReport(scheme, stored.BitsPerElement, stored.Error);
        var report = TensorQuantizer.Measure(GetTensor(key.Source, key.Seed, key.Count), scheme);
        _disk.Write(key, report);
        return report;
    }
}
