using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// What a plan reads from each GEMM class's unfused mapping (<see cref="OperatorClasses.Gemms"/>; the operators of a
    /// class have equal unfused results): the DRAM bytes it moves per operand, all batch entries (the saving of keeping
    /// that operand, where a skeleton entry uses it), its tiles in the fusion level per <see cref="Working"/> slot, and
    /// whether it has a tile in that level and the tile's M and N (an attention block's working set, <see cref="TileBytes"/>).
    /// Every number the search reads follows from these, the capacity and the <see cref="Skeleton"/>, so they key the plan
    /// memo: a design whose plan is known derives nothing per operator or per entry. A per-thread buffer, valid until
    /// this thread's next plan.
    /// </summary>
    private sealed class ClassValues
    {
        public const int Slots = 4;
        [ThreadStatic] private static ClassValues? t_values;
        public PerTensor[] Saving = new PerTensor[16];
        public double[] Tile = new double[16 * Slots];
        public bool[] HasLevelTile = new bool[16];
        public long[] TileM = new long[16], TileN = new long[16];
        public int Count;

        public static ClassValues Of(Skeleton skeleton, ArchView view, MemoryLevelSpec spec, int level, IReadOnlyList<LayerResult> unfused)
        {
            var v = t_values ??= new ClassValues();
            var gemms = skeleton.Classes.Gemms;
            int n = gemms.Length;
            if (v.Saving.Length < n)
            {
                v.Saving = new PerTensor[n]; v.Tile = new double[n * Slots]; v.HasLevelTile = new bool[n];
                v.TileM = new long[n]; v.TileN = new long[n];
            }
            v.Count = n;
            double copies = spec.DoubleBuffered ? 2 : 1;
            for (int c = 0; c < n; c++)
            {
                var layer = unfused[gemms[c]];
                v.Saving[c] = skeleton.SavesFrom[c] ? DramBytes(view, layer) : default;
                v.Tile.AsSpan(Slots * c, Slots).Clear();
                v.HasLevelTile[c] = false; v.TileM[c] = 0; v.TileN[c] = 0;
                if (layer.Mapping is not { } map || layer.Gemm is not { } p) continue;
                if (LevelTileAt(map, level) is not { LevelName: not null } tile) continue;
                v.HasLevelTile[c] = true; v.TileM[c] = tile.M; v.TileN[c] = tile.N;
                var bypass = map.BypassAt(level);
                foreach (var x in PerTensor.All)
                    v.Tile[Slots * c + (int)x] = Mapper.TileBytes(spec.Holds & ~bypass & ArchView.SetOf(x), p, tile.M, tile.K, tile.N) * copies;
                v.Tile[Slots * c + 3] = Mapper.TileBytes(spec.Holds & bypass & TensorSet.Outputs, p, tile.M, tile.K, tile.N) * copies;
            }
            return v;
        }

        // The DRAM bytes a GEMM moves per operand under its unfused mapping and that mapping's own bypass choice (a
        // tensor it skips the fusion level for crosses DRAM as often as its first holder under that choice fetches it),
        // one traffic-kernel count for all batch entries.
        private static PerTensor DramBytes(ArchView view, LayerResult layer)
        {
            var p = layer.Gemm!.Value;
            var map = layer.Mapping!;
            var mapView = map.Bypass is null ? view : new ArchView(view.Arch, map.Bypass);
            var bits = TrafficModel.Compute(mapView, p with { Batch = 1 }, map, TensorSet.None);
            var r = bits.Reads(MemoryLevels.Dram);
            var w = bits.Writes(MemoryLevels.Dram);
            return new PerTensor(r.Left + w.Left, r.Right + w.Right, r.Output + w.Output) * (p.Batch / 8.0);
        }
    }
}
