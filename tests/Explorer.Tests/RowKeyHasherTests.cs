using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>Row keys hashed from a shared prefix's SHA-256 state equal the keys hashed whole.</summary>
public class RowKeyHasherTests
{
    [Fact]
    public void KeysFromTheSharedPrefixEqualKeysHashedWhole()
    {
        // a long shared base (with non-ASCII text and a surrogate pair where the configurations part), then per-point sets
        string @base = "name: edge-npu\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"key_{i}: value µ{i}\n")) + "note: \U0001F600";
        var configs = new List<string>
        {
            @base + "\n--set clock_mhz=200",
            @base + "\n--set clock_mhz=220",
            @base[..^1] + "\uDE01 other pair\n--set clock_mhz=240", // same high surrogate, another low one
            @base + "\n--set memory.dram.bandwidth_gbps=6.4",
            "short, shares nothing",
            @base[..300],
        };
        var hasher = new RowKeyHasher();
        var workloads = new[] { new WorkloadSpec("gemm-128x1024x1024", "", 1, null, null, "native"), new WorkloadSpec("llama-2-7b", "decode", 1, null, 2048, "w4a16g128") };
        foreach (var w in workloads)
            foreach (var c in configs)
                Assert.Equal(SweepRunner.Key(c, w), hasher.Of(c, w.Label));
    }
}
