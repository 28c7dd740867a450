using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Sim.Tests;

/// <summary>The architectures shipped in arch-configs/, loaded as the CLI loads them.</summary>
internal static class BundledArchs
{
    public static readonly string[] Files =
    {
        "bitmod.yaml", "flightllm-u280.yaml", "fp16-baseline.yaml", "lut-tensor-core.yaml", "mixpe.yaml", "mx-fp4.yaml",
        "tpu-int8.yaml", "xr-npe.yaml",
    };

    public static IEnumerable<object[]> All => Files.Select(f => new object[] { f });

    public static ArchitectureSpec Load(string file, params (string Path, string Value)[] sets) =>
        ArchitectureLoader.Load(Path.Combine(Root(), "arch-configs", file), sets.Select(s => new KeyValuePair<string, string>(s.Path, s.Value)).ToList());

    public static Simulator Sim(string file, SimOptions? options = null, params (string Path, string Value)[] sets)
    {
        var arch = Load(file, sets);
        return new Simulator(arch, CostModel.Evaluate(arch), options);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Sim.sln) not found above " + AppContext.BaseDirectory);
    }
}
