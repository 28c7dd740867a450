using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>One whole mapspace drawn by <see cref="OneLevelMapspaces.Draw"/>: its design file, on-chip level, problem, the operands fusion keeps there, and a mapper of it.</summary>
internal sealed record OneLevelMapspace(string File, int Level, GemmProblem P, TensorSet Keep, Mapper Mapper, List<GemmMapping> Space);

/// <summary>
/// Whole mapspaces of small variants of the bundled designs with one on-chip level, for tests comparing a fast path of the
/// search with its definition: eight per design, half letting the level skip any of what it holds (so operands, the
/// stationary one too, stream into the array), a third keeping an operand the level holds on chip (fusion, its bytes reserved).
/// </summary>
internal static class OneLevelMapspaces
{
    /// <summary>The mapspaces drawn from <paramref name="seed"/>, over the designs <paramref name="where"/> admits (all by default).</summary>
    public static IEnumerable<OneLevelMapspace> Draw(int seed, Func<ArchitectureSpec, bool>? where = null)
    {
        var rng = new Random(seed);
        foreach (var (file, baseArch) in MapperCases.OneOnChipLevel())
        {
            if (where is not null && !where(baseArch)) continue;
            int level = new ArchView(baseArch).Shared[1];
            for (int trial = 0; trial < 8; trial++)
            {
                var small = MapperCases.Small(baseArch, rng.Next(2, 6), rng.Next(2, 6), rng, 64, 4000);
                var arch = trial % 2 == 0 ? small : small with
                {
                    Memory = small.Memory.Select((m, l) => l == level ? m with { MayBypass = m.Holds } : m).ToArray(),
                };
                var cost = CostModel.Evaluate(arch);
                var sim = new Simulator(arch, cost);
                var bare = sim.DefaultProblem(1, rng.Next(3, 30), rng.Next(3, 40), rng.Next(3, 30));
                var keep = new[] { TensorSet.None, TensorSet.Inputs, TensorSet.Outputs }[trial % 3] & arch.Memory[level].Holds;
                double reserved = keep == TensorSet.None ? 0 : PerTensor.All.Where(t => (keep & ArchView.SetOf(t)) != 0).Sum(t => bare.Elements(t) * bare.Bits(t, false) / 8);
                if (reserved >= arch.Memory[level].CapacityBytes) continue;
                var p = keep == TensorSet.None ? bare : bare with { OnChip = new OnChipOperands(keep, level, reserved) };
                var mapper = new Mapper(arch, cost, new SimOptions(), sim.Pe);
                List<GemmMapping> space;
                try { space = mapper.EnumerateMapspace(p).ToList(); }
                catch (Mantissa.Arch.MantissaException) { continue; } // too small for even a 1×1×1 tile
                yield return new OneLevelMapspace(file, level, p, keep, mapper, space);
            }
        }
    }
}
