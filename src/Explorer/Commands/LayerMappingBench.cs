using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim;
using Mantissa.Sim.Compute;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Commands;

/// <summary>CPU time to map (and time) one GEMM layer, over every distinct layer of three workloads on every bundled design.</summary>
internal static class LayerMappingBench
{
    /// <summary>The bundled designs: the architecture files directly in this folder.</summary>
    public const string Folder = "arch-configs";

    /// <summary>One layer's CPU time, and which design and shape it was.</summary>
    public sealed record Sample(string Design, GemmProblem Problem, double CpuMs);

    /// <summary>The layers of Llama-2-7B decode (kv 2048), its 2,048-token prefill and ResNet-50, each design in its default recipe.</summary>
    public static IEnumerable<(ArchitectureSpec Arch, ArchCost Cost, GemmProblem[] Layers)> Layers(string folder)
    {
        foreach (var file in Directory.GetFiles(folder, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
        {
            var arch = ArchitectureLoader.Load(file);
            var cost = CostModel.Evaluate(arch);
            string? recipe = FormatFit.DefaultRecipe(arch.Pe);
            var workloads = new[]
            {
                ("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 2048, recipe)),
                ("llama-2-7b", new WorkloadOptions(Phase.Prefill, 1, 2048, null, recipe)),
                ("resnet50", new WorkloadOptions(Phase.Prefill, 1, null, null, recipe)),
            };
            var layers = new HashSet<GemmProblem>();
            foreach (var (model, options) in workloads) AddLayers(arch, cost, model, options, layers);
            yield return (arch, cost, layers.ToArray());
        }
    }

    // A workload whose formats the design cannot run is left out for that design, as a sweep leaves out the point.
    private static void AddLayers(ArchitectureSpec arch, ArchCost cost, string model, WorkloadOptions options, HashSet<GemmProblem> into)
    {
        try
        {
            var result = new Simulator(arch, cost).Run(WorkloadCatalog.Build(model, options));
            foreach (var l in result.Layers)
                if (l.Gemm is { } g) into.Add(g);
        }
        catch (MantissaException) { }
    }

    /// <summary>Maps every layer once to warm up, then once more on a fresh simulator per layer, timing each on the thread's CPU clock.</summary>
    public static List<Sample> Run(IReadOnlyList<(ArchitectureSpec Arch, ArchCost Cost, GemmProblem[] Layers)> designs)
    {
        foreach (var (arch, cost, layers) in designs)
            foreach (var p in layers) new Simulator(arch, cost).MapGemm(p);
        var samples = new List<Sample>();
        foreach (var (arch, cost, layers) in designs)
            foreach (var p in layers)
            {
                double t0 = ThreadCpuClock.NowMs();
                new Simulator(arch, cost).MapGemm(p);
                samples.Add(new Sample(arch.Name, p, ThreadCpuClock.NowMs() - t0));
            }
        return samples;
    }
}
