using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Results;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// The priced results of one simulator's fusion-aware GEMM searches (<see cref="GemmProblem.OnChip"/> set), found again
/// for a problem that differs only in the bytes fusion reserves in the level (<see cref="OnChipOperands.ReservedBytes"/>,
/// which differ from operator to operator with what else is live). The search reads those bytes only as the level's
/// usable bytes (<see cref="Mapspace.Usable"/>) in its fit questions; a search that was asked nothing those bytes would
/// answer otherwise (<see cref="UsableWindow"/>) runs exactly as it ran, so its result is the other problem's too — its
/// pricing (traffic, timeline, energy, bounds) reads which operands are held, never the bytes — and is returned with the
/// problem itself in it. Not thread-safe (one per simulator).
/// </summary>
internal sealed class ReservedBytesMemo
{
    private readonly ArchitectureSpec _arch;
    // by the problem with no bytes reserved: each search's window and result, in the order found
    private readonly Dictionary<GemmProblem, List<(UsableWindow Window, LayerResult Result)>> _byProblem = new();

    public ReservedBytesMemo(ArchitectureSpec arch) => _arch = arch;

    /// <summary>The result of an earlier search that holds for <paramref name="p"/>, with <paramref name="p"/> as its problem; null when none does.</summary>
    public LayerResult? Find(GemmProblem p)
    {
        if (!_byProblem.TryGetValue(Unreserved(p), out var found)) return null;
        double usable = Mapspace.Usable(_arch.Memory[p.OnChip.Level], p.OnChip.ReservedBytes);
        foreach (var (window, result) in found)
            if (window.Contains(usable)) return result with { Gemm = p };
        return null;
    }

    /// <summary>Keeps the result of a search of <paramref name="p"/> that held for every usable size in <paramref name="window"/>.</summary>
    public void Add(GemmProblem p, UsableWindow window, LayerResult result)
    {
        if (!(window.FitMax < window.MissMin)) return; // an empty window holds for no other reserved bytes
        var key = Unreserved(p);
        if (!_byProblem.TryGetValue(key, out var found)) _byProblem[key] = found = new List<(UsableWindow, LayerResult)>(2);
        found.Add((window, result));
    }

    private static GemmProblem Unreserved(GemmProblem p) => p with { OnChip = p.OnChip with { ReservedBytes = 0 } };
}
