using Mantissa.Workloads.Quantization;

namespace Mantissa.Workloads.Tests.Quantization;

public class QuantErrorCacheTests
{
    [Fact]
    public void EachKeyIsComputedOnceEvenUnderConcurrency()
    {
        int calls = 0;
        var cache = new QuantErrorCache(k =>
        {
            Interlocked.Increment(ref calls);
            Thread.Sleep(20); // widen the race window
            var scheme = QuantSchemes.Resolve(k.Format, k.Group);
            return new QuantReport(scheme, 4, new QuantError(k.Group, 1, 2));
        });
        var keys = new[] { new QuantKey("int4", Group: 32), new QuantKey("INT4 ", Group: 32), new QuantKey("int4", Group: 64) };
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var e = cache.Get(keys[i % keys.Length]);
            Assert.Equal(i % 3 == 2 ? 64 : 32, e.Mse);
        });
        Assert.Equal(2, calls); // "int4" and "INT4 " normalise to the same key
        Assert.Equal(2, cache.Computations);
    }

    [Fact]
    public void RealComputationMatchesADirectMeasurement()
    {
        var cache = new QuantErrorCache();
        var key = new QuantKey("nvfp4", Source: "student-t", Count: 1 << 16, Seed: 4);
        var a = cache.Get(key);
        var b = cache.Get(key with { });
        Assert.Equal(a, b);
        Assert.Equal(1, cache.Computations);
        var direct = TensorQuantizer.Measure(
            Mantissa.Workloads.Tensors.TensorSource.Load("student-t", 4, 1 << 16), QuantSchemes.Resolve("nvfp4"));
        Assert.Equal(direct.Error, a);
        Assert.InRange(a.SqnrDb, 10, 30);
    }
}
