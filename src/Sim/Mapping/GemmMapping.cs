using System.Globalization;
using System.Text;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// A complete mapping of one GEMM: a tile per shared memory level from DRAM inward (DRAM holds the whole problem),
/// then the array's fold (fixed by the dataflow).
/// </summary>
public sealed record GemmMapping(IReadOnlyList<LevelTile> Levels, long FoldM, long FoldK, long FoldN, Dataflow Dataflow)
{
    /// <summary>
    /// Per memory level (indexed like <c>arch.Memory</c>), the tensors this mapping bypasses there, chosen by the mapper
    /// among the level's <c>may_bypass</c>; null when it bypasses none. Traffic, timing and energy read it.
    /// </summary>
    public IReadOnlyList<TensorSet>? Bypass { get; init; }

    /// <summary>The tensors bypassed at memory level <paramref name="level"/>.</summary>
    public TensorSet BypassAt(int level) => Bypass is { } b ? b[level] : TensorSet.None;

    /// <summary>Tile extent along <paramref name="d"/> at depth <paramref name="depth"/> (0 = DRAM, Levels.Count = the fold).</summary>
    public long TileAt(int depth, Dim d)
    {
        var tiles = Tiles;
        return depth < tiles.Length ? tiles[depth].Extent(d) : d switch { Dim.M => FoldM, Dim.K => FoldK, _ => FoldN };
    }

    /// <summary>
    /// <see cref="Levels"/> as a span, read by the traffic kernel for every candidate the mapper scores: the mapper's
    /// levels are an array, read in place (no interface call and no copy of a tile per access).
    /// </summary>
    internal ReadOnlySpan<LevelTile> Tiles => Levels as LevelTile[] ?? Levels.ToArray();

    private static string BypassText(TensorSet s) => string.Join(", ",
        new[] { (TensorSet.Weights, "weights"), (TensorSet.Inputs, "inputs"), (TensorSet.Outputs, "outputs") }.Where(t => (s & t.Item1) != 0).Select(t => t.Item2));

    /// <summary>The loop nest, level by level (Timeloop style), with trip counts of a full tile (edge tiles run fewer).</summary>
    public string ToLoopNest(GemmProblem p)
    {
        var sb = new StringBuilder();
        var counts = TileCounts.Of(p, this);
        string indent = "";
        for (int j = 0; j < Levels.Count; j++)
        {
            var lt = Levels[j];
            sb.Append(indent).Append(CultureInfo.InvariantCulture, $"{lt.LevelName} [tile M={lt.M} K={lt.K} N={lt.N}]");
            if (BypassAt(lt.LevelIndex) is var by and not TensorSet.None) sb.Append(" bypass ").Append(BypassText(by));
            sb.AppendLine();
            foreach (var d in lt.Order)
            {
                if (!counts.Splits(j, d)) continue;
                long step = TileAt(j + 1, d);
                bool streamed = j == Levels.Count - 1 && step == 1 && d != Dim.K;
                string kind = j == Levels.Count - 1 ? (streamed ? "stream" : "fold") : "for";
                long span = TileAt(j, d);
                sb.Append(indent).Append(CultureInfo.InvariantCulture,
                    $"| {kind} {d.ToString().ToLowerInvariant()} in [0:{(span + step - 1) / step}) step {step}").AppendLine();
                indent += "  ";
            }
        }
        sb.Append(indent).Append(CultureInfo.InvariantCulture,
            $"array {Dataflow.ToString().ToLowerInvariant()} [fold M={FoldM} K={FoldK} N={FoldN}]").AppendLine();
        return sb.ToString();
    }
}
