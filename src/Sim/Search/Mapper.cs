using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>The mapping the mapper chose, its exact traffic (one batch entry), what that traffic costs, and how many candidates it scored.</summary>
public sealed record MapperResult(GemmMapping Mapping, LevelTraffic[] Traffic, MemoryCost Memory, MappingScore Score, int Evaluated);

/// <summary>What the model says a mapping costs for one batch entry: closed-form cycles and total energy.</summary>
public readonly record struct MappingScore(double Cycles, double EnergyPj);

/// <summary>
/// Finds the best mapping of the whole <see cref="Mapspace"/> under the objective (the union of one mapspace per
/// dataflow when the array's dataflow is open), exactly, by depth-first branch-and-bound over the shared levels,
/// outermost first. The dataflows are searched fastest compute first, sharing one incumbent, so the best mapping of
/// one prunes the others; within each dataflow every bypass choice the levels' <c>may_bypass</c> allow is its own
/// mapspace (its own <see cref="ArchView"/>), searched under the same incumbent. A node fixes the tiles down to one level and the loop
/// orders above it. Its bound is the score with the traffic that node already decides: every crossing above it is
/// exact, and every deeper crossing is counted with the visits the fixed outer loops force (a tensor is visited at
/// least as often deeper down), so no completion scores lower — the on-chip bandwidth time and the energy grow with
/// traffic, the latency with both. The completion in which every deeper level holds the node's tile, when it fits, is
/// scored too as a candidate. Children are explored best bound first.
/// A leaf is first checked against a lower bound of its tile (LeafBound: compute cycles, compulsory DRAM traffic,
/// first load and last write-back) and skipped, unscored, when the incumbent already beats it; the second pass scores
/// a skipped leaf only if its bound does not prune it there. The chosen mapping and the candidate count are unchanged.
/// With one on-chip level, a leaf's score depends on its DRAM loop order only through the innermost loop of more than
/// one trip (<see cref="OrderClass"/>): one leaf per class of a tile is scored, and first bounded by its exact DRAM
/// traffic (<see cref="ClassBound"/>).
/// <para>Objectives (<see cref="MappingObjective"/>): latency picks the lowest latency, then the lowest energy among mappings
/// within <see cref="SimOptions.ObjectiveTolerance"/> (1 %) of it; energy the reverse; EDP the lowest product. The
/// two-key objectives run two searches: the first finds the best primary value, the second the best secondary value
/// under the primary limit.</para>
/// <para>Mapping constraints (<see cref="LevelMappingSpec"/>) cut the mapspace; the search is exact within what they allow,
/// and a mapping they fix completely is evaluated as given. No mapping satisfying them is an error naming the constraint.</para>
/// <para>Operands layer fusion keeps on chip (<see cref="GemmProblem.OnChip"/>) are searched as such: no DRAM crossing
/// for them, and the tiles of the others fit in what they leave of their level.</para>
/// Scoring allocates nothing: one working nest, one traffic buffer and per-depth child buffers are reused.
/// </summary>
public sealed class Mapper
{
    private readonly ArchitectureSpec _arch;
    private readonly ArchCost _cost;
    private readonly SimOptions _options;
    private readonly PeThroughput _pe;
    // one view per bypass choice the levels' may_bypass allow (the first bypasses nothing)
    private readonly ArchView[] _views;
    // the search's working state, taken from the thread's scratch (SearchScratch) when a search starts: a sweep builds a
    // mapper per design point, and a mapper answered from a mapping cache never searches
    private TrafficBits _bits = null!;
    private TileCounts _counts = null!;
    private SearchChildren[] _children = Array.Empty<SearchChildren>();
    private ClassBounds _classBounds = null!;
    private LeafScorer _leafScorer = null!;
    // the current mapspace's leaves are scored by _leafScorer (one on-chip level, no per-PE level, no front recorded)
    private bool _fastLeaves;
    private readonly IReadOnlyList<Dataflow> _dataflows;
    // made by the first search: a mapper answered from a mapping cache never searches
    private LeafBound? _bound;
    private LeafBound Bound => _bound ??= new LeafBound(_arch, _cost, _views[0]);
    // the DRAM bits of ClassBoundReference
    private TrafficBits _dramBits = null!;

    // state of one search
    private Mapspace _space = null!;
    private GemmProblem _p;
    private double _compute, _busyPeCycles;
    private LevelTile[] _nest = Array.Empty<LevelTile>();
    private GemmMapping _map = null!;
    private LevelTile[] _best = Array.Empty<LevelTile>();
    private Dataflow _bestDataflow;
    private ArchView _bestView = null!;
    private double _bestPrimary, _bestSecondary, _limit;
    private bool _secondPass;
    private int _evaluated;
    // the mapspaces of the current problem, per (dataflow candidate, view); built once, shared by both passes
    private Mapspace?[] _spaces = Array.Empty<Mapspace?>();
    // taken from the thread's scratch for each search: a sweep builds a mapper per design point, and the log's arrays
    // (kilobytes) would otherwise be allocated for each
    private LeafLog _log = null!;
    // the dataflow candidates of a fixed array (one), kept for the mapper's searches
    private (Dataflow Dataflow, double Cycles)[]? _single;
    private bool _logging;
    // leaves are skipped by their lower bound (LeafBound) in this search
    private bool _pruning;
    // in this mapspace a leaf takes the score of an earlier leaf of its tile in the same order class (OrderClass)
    private bool _classes;

    public Mapper(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe)
    {
        _arch = arch; _cost = cost; _options = options; _pe = pe;
        var choices = ArchView.BypassChoices(arch);
        _views = new ArchView[choices.Length];
        for (int i = 0; i < choices.Length; i++) _views[i] = new ArchView(arch, choices[i]);
        _dataflows = Mapspace.Candidates(_views[0]);
    }

    // Takes the thread's scratch for a search (a mapper runs one search at a time on one thread, and nothing it leaves
    // there is read by the next search: each refills what it reads).
    private void TakeScratch()
    {
        var s = SearchScratch.Current;
        int levels = _arch.Memory.Count;
        _bits = s.Bits(levels);
        _dramBits = s.DramBits(levels);
        _counts = s.Counts;
        _children = s.Children(_views[0].Shared.Length);
        _classBounds = s.ClassBounds;
        _leafScorer = s.LeafScorer;
        _log = s.Log;
    }

    /// <summary>
    /// Skip leaves whose lower bound (<see cref="LeafBound"/>) the incumbent already beats (default). Off, every leaf is
    /// scored; the result is the same (tests compare the two). A search that records a front scores every leaf regardless.
    /// </summary>
    internal bool Pruning { get; set; } = true;

    /// <summary>
    /// With one on-chip level, give a leaf the score of the earlier leaf of its tile whose loop order has the same innermost
    /// loop of more than one trip (<see cref="OrderClass"/>) instead of scoring it again (default): the score depends on the
    /// order only through that loop, so the scores are equal and the later leaf never wins (the incumbent changes only on a
    /// strictly better key). Off, every such leaf is scored; the result is the same (tests compare the two). A search that
    /// records a front scores every leaf regardless.
    /// </summary>
    internal bool ReusesOrderClasses { get; set; } = true;

    /// <summary>Leaves the last search scored exactly (the rest were skipped by their bound), for tests.</summary>
    internal int Scored { get; private set; }

    /// <summary>When set, receives every candidate the first pass scores, in search order (<see cref="MappingFront"/>).</summary>
    internal FrontRecorder? Recorder { get; set; }

    /// <summary>
    /// Every search scores the whole mapspace in one fixed order: one dataflow (an open array skips dataflows by a bound
    /// that depends on the design), one bypass choice (the choices are skipped by the same bound, and a front re-scores
    /// under one view) and one shared on-chip level, whose tiles are the leaves.
    /// </summary>
    internal bool ScoresEveryCandidate => _views[0].Shared.Length == 2 && _dataflows.Count == 1 && _views.Length == 1;

    internal ArchitectureSpec Arch => _arch;
    internal ArchCost Cost => _cost;
    /// <summary>The view without bypass (with <see cref="ScoresEveryCandidate"/>, the only one).</summary>
    internal ArchView View => _views[0];

    /// <summary>
    /// The view of the bypass choice <paramref name="bypass"/> (a mapping's <see cref="GemmMapping.Bypass"/>): one of the
    /// views built once per architecture, or a new one for a bypass the levels' <c>may_bypass</c> do not offer.
    /// </summary>
    internal ArchView ViewOf(IReadOnlyList<TensorSet>? bypass)
    {
        foreach (var v in _views)
            if (SameBypass(v.Bypass, bypass)) return v;
        return new ArchView(_arch, bypass);
    }
    internal SimOptions Options => _options;
    /// <summary>The problem of the last search.</summary>
    internal GemmProblem Problem => _p;

    /// <summary>
    /// The best mapping of <paramref name="p"/>. <paramref name="computeCycles"/> are the array's compute cycles under its
    /// dataflow; an array whose dataflow is open searches every dataflow it lists, each timed by <see cref="LayerCompute"/>
    /// exactly as a fixed array of that dataflow is (and <paramref name="computeCycles"/> are those of its first dataflow).
    /// </summary>
    public MapperResult Map(GemmProblem p, double computeCycles)
    {
        _evaluated = 0; Scored = 0;
        TakeScratch();
        _pruning = Pruning && Bound.Usable && Recorder is null;
        var candidates = Candidates(p, computeCycles);
        int segments = candidates.Length * _views.Length;
        if (_spaces.Length < segments) _spaces = new Mapspace?[segments];
        else Array.Clear(_spaces, 0, segments);
        _log.Reset(segments);
        _bestPrimary = _bestSecondary = double.PositiveInfinity;
        var window = UsableWindow.Any;
        for (int pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                if (_options.Objective == MappingObjective.Edp) break;
                _secondPass = true;
                _limit = _bestPrimary * (1 + _options.ObjectiveTolerance);
            }
            else _secondPass = false;
            MantissaException? tooSmall = null;
            bool started = false;
            for (int ci = 0; ci < candidates.Length; ci++)
            {
                var (df, cycles) = candidates[ci];
                if ((candidates.Length > 1 || _views.Length > 1) && Pruned(Floor(p, cycles))) continue;
                for (int vi = 0; vi < _views.Length; vi++)
                {
                    var view = _views[vi];
                    if (!Admits(view, p)) continue;
                    int segment = ci * _views.Length + vi;
                    // a bypass choice whose levels cannot hold even a 1×1×1 tile has no mapping; another may
                    if (_views.Length == 1) Start(p, cycles, df, view, segment);
                    else try { Start(p, cycles, df, view, segment); }
                        catch (MantissaException e) { tooSmall ??= e; window = UsableWindow.None; continue; }
                    started = true;
                    if (_space.Depths > 1)
                    {
                        _classes = ReusesOrderClasses && _space.Depths == 2 && Recorder is null;
                        if (_secondPass && _log.Logged(segment)) { Replay(segment); continue; }
                        // with one on-chip level every candidate is a leaf the first pass scores in the order the second
                        // pass visits them: the second pass re-reads their scores (Replay) instead of scoring them again
                        _logging = !_secondPass && _space.Depths == 2 && _options.Objective != MappingObjective.Edp;
                        if (_logging) _log.Begin(segment);
                        Search(1);
                        if (_logging) _log.End(segment);
                        _logging = false;
                        continue;
                    }
                    // no on-chip level: the only mapping of this dataflow is DRAM feeding the array
                    var (primary, secondary) = Keys(Score());
                    if (!Pruned(primary, secondary)) Offer(primary, secondary);
                }
            }
            if (double.IsPositiveInfinity(_bestPrimary)) throw started ? new MantissaException(_space.Infeasible()) : tooSmall!;
        }
        int best = 0;
        while (candidates[best].Dataflow != _bestDataflow) best++;
        Start(p, candidates[best].Cycles, _bestDataflow, _bestView, best * _views.Length + Array.IndexOf(_views, _bestView));
        Array.Copy(_best, _nest, _nest.Length);
        var score = Score();
        var mapping = _space.Make(_nest);
        for (int s = 0; s < segments; s++)
            if (_spaces[s] is { } space) window = window.And(space.Window);
        // a search recording a front scores every candidate: only a plain search's window is kept
        LastWindow = Recorder is null ? window : UsableWindow.None;
        return LastResult = new MapperResult(mapping, TrafficCost.ToLevelTraffic(_arch, _bits), TrafficCost.Of(_arch, _cost, _bits), score, _evaluated);
    }

    /// <summary>The result of this mapper's last <see cref="Map"/>.</summary>
    internal MapperResult? LastResult { get; private set; }

    /// <summary>
    /// The usable bytes of the fusion level (<see cref="Mapspace.Usable"/>) with which the last <see cref="Map"/> would
    /// have searched exactly as it did: the problem with any reserved bytes whose usable bytes it contains maps the same.
    /// </summary>
    internal UsableWindow LastWindow { get; private set; }

    // What no mapping of a dataflow with these compute cycles beats: no memory energy and no stall (energy grows with
    // cycles: idle PE-cycles and leakage).
    private (double Primary, double Secondary) Floor(GemmProblem p, double computeCycles) =>
        Keys(new MappingScore(computeCycles, EnergyModel.TotalPj(_arch, _cost, 0, p.Macs / (p.Pe ?? _pe).MacsPerCycle, computeCycles)));

    private bool Pruned((double Primary, double Secondary) k) => Pruned(k.Primary, k.Secondary);

    // The dataflows to search with their compute cycles, fastest first so its mappings bound the others' search.
    private (Dataflow Dataflow, double Cycles)[] Candidates(GemmProblem p, double computeCycles)
    {
        if (_dataflows.Count == 1)
        {
            _single ??= new (Dataflow, double)[1];
            _single[0] = (_dataflows[0], computeCycles);
            return _single;
        }
        return OpenCandidates(p, computeCycles);
    }

    // An open array's dataflows, in a method of their own: the lambda's captures (the problem among them) are allocated
    // on entry to the method that declares them, and in Candidates that was every search's.
    private (Dataflow Dataflow, double Cycles)[] OpenCandidates(GemmProblem p, double computeCycles)
    {
        var pe = p.Pe ?? _pe;
        return _dataflows
            .Select(d => (d, d == _arch.Array.Dataflow ? computeCycles : (double)LayerCompute.Estimate(_arch, _options, p, pe, d).Cycles))
            .OrderBy(c => c.Item2).ToArray();
    }

    /// <summary>The score the search gives <paramref name="m"/> (a mapping of <paramref name="p"/>): closed-form cycles and total energy of one batch entry.</summary>
    /// <param name="computeCycles">The array's compute cycles under the mapping's dataflow.</param>
    public MappingScore Evaluate(GemmProblem p, GemmMapping m, double computeCycles)
    {
        _evaluated = 0;
        TakeScratch();
        Start(p, computeCycles, m.Dataflow, ViewOf(m.Bypass));
        Array.Copy(m.Levels.ToArray(), _nest, _nest.Length);
        return Score();
    }

    // A bypass choice cannot skip an operand layer fusion keeps on chip at the level that keeps it.
    private static bool Admits(ArchView v, GemmProblem p)
    {
        var onChip = p.OnChip;
        if (onChip.Tensors == TensorSet.None || v.Bypass is not { } b) return true;
        return (b[onChip.Level] & onChip.Tensors) == 0;
    }

    // null and all-None are the same choice; loops, not LINQ: a lookup per priced GEMM allocates nothing
    private static bool SameBypass(IReadOnlyList<TensorSet>? a, IReadOnlyList<TensorSet>? b)
    {
        if (a is null || b is null)
        {
            var c = a ?? b;
            if (c is null) return true;
            for (int i = 0; i < c.Count; i++)
                if (c[i] != TensorSet.None) return false;
            return true;
        }
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    /// <summary>
    /// The points of the mapspace of <paramref name="p"/> (every dataflow of an open array and every bypass choice), for
    /// brute-force checks. A bypass choice whose levels cannot hold a 1×1×1 tile contributes none; when no choice can, the error is thrown.
    /// </summary>
    public IEnumerable<GemmMapping> EnumerateMapspace(GemmProblem p)
    {
        var spaces = new List<Mapspace>();
        MantissaException? first = null;
        foreach (var d in _dataflows)
            foreach (var v in _views.Where(v => Admits(v, p)))
                try { spaces.Add(new Mapspace(v, p, p.Pe ?? _pe, d)); }
                catch (MantissaException e) { first ??= e; }
        if (spaces.Count == 0) throw first!;
        return spaces.SelectMany(s => s.Enumerate());
    }

    /// <summary>(primary, secondary) of a score under the objective.</summary>
    public (double Primary, double Secondary) Keys(MappingScore s) => _options.Objective switch
    {
        MappingObjective.Latency => (s.Cycles, s.EnergyPj),
        MappingObjective.Energy => (s.EnergyPj, s.Cycles),
        _ => (s.EnergyPj * s.Cycles, 0),
    };

    // segment: where the mapspace of (dataflow, view) of the current problem is kept (-1: not kept)
    private void Start(GemmProblem p, double computeCycles, Dataflow dataflow, ArchView view, int segment = -1)
    {
        _p = p; _compute = computeCycles;
        var pe = p.Pe ?? _pe;
        _busyPeCycles = p.Macs / pe.MacsPerCycle;
        _space = segment < 0 ? new Mapspace(view, p, pe, dataflow) : _spaces[segment] ??= new Mapspace(view, p, pe, dataflow);
        _nest = _space.Root(_nest);
        if (_best.Length != _nest.Length) _best = (LevelTile[])_nest.Clone();
        _map = new GemmMapping(_nest, _space.FoldM, _space.FoldK, _space.FoldN, dataflow) { Bypass = view.Bypass };
        Bound.Start(p, computeCycles, _busyPeCycles);
        if (_space.Depths == 2) _classBounds.Start(_arch, _cost, view, p, dataflow, computeCycles, _busyPeCycles);
        // a recorded front reads every scored candidate's bits (FrontRecorder), which the leaf scorer does not fill
        _fastLeaves = Recorder is null && LeafScorer.Applies(view);
        if (_fastLeaves) _leafScorer.Start(_arch, _cost, view, p, dataflow, computeCycles, _busyPeCycles);
    }

    // knownDepth: the depth down to which the nest is decided (the rest is bounded; see TrafficModel.Accumulate)
    private MappingScore Score(int knownDepth = int.MaxValue)
    {
        _evaluated++;
        return ScoreNest(knownDepth);
    }

    // A leaf's score (every level decided), by the leaf scorer when it applies: the same figures as ScoreNest, without
    // filling _bits. Counts the candidate.
    private MappingScore ScoreLeaf()
    {
        _evaluated++;
        return ScoreLeafNest();
    }

    // ScoreLeaf without counting the candidate (a leaf the first pass counted when its bound let it skip the scoring).
    private MappingScore ScoreLeafNest()
    {
        if (!_fastLeaves) return ScoreNest();
        _counts.Compute(_p, _map);
        return _leafScorer.Of(_map, _counts);
    }

    /// <summary>Test access to the score of <paramref name="m"/> (a mapping of <paramref name="p"/> with one on-chip level and no per-PE level): (by the leaf scorer, by the general scoring).</summary>
    internal (MappingScore Fast, MappingScore General) LeafScoreOf(GemmProblem p, GemmMapping m, double computeCycles)
    {
        TakeScratch();
        Start(p, computeCycles, m.Dataflow, ViewOf(m.Bypass));
        Array.Copy(m.Levels.ToArray(), _nest, _nest.Length);
        if (!_fastLeaves) throw new InvalidOperationException("the leaf scorer does not apply to this mapping");
        var fast = ScoreLeafNest();
        return (fast, ScoreNest());
    }

    // Score without counting the candidate (a leaf the first pass counted when its bound let it skip the scoring).
    private MappingScore ScoreNest(int knownDepth = int.MaxValue)
    {
        _counts.Compute(_p, _map);
        _bits.Clear();
        TrafficModel.Accumulate(_space.View, _p, _map, _counts, _bits, knownDepth, _p.OnChip.Tensors);
        var memory = TrafficCost.Of(_arch, _cost, _bits);
        double cycles = TileTimeline.ClosedForm(_space.View, _p, _map, _compute, memory, _counts);
        return new MappingScore(cycles, EnergyModel.TotalPj(_arch, _cost, memory.MemoryPj, _busyPeCycles, cycles));
    }

    private bool Pruned(double primary, double secondary) => _secondPass
        ? primary > _limit || secondary >= _bestSecondary
        : primary >= _bestPrimary;

    private void Offer(double primary, double secondary)
    {
        bool better = _secondPass ? primary <= _limit && secondary < _bestSecondary : primary < _bestPrimary;
        if (!better) return;
        _bestPrimary = _secondPass ? _bestPrimary : primary;
        _bestSecondary = secondary;
        _bestDataflow = _space.Dataflow;
        _bestView = _space.View;
        // a span copy: Array.Copy's type checks cost more than the two or three tiles it copies
        _nest.AsSpan().CopyTo(_best);
    }

    // Sets level depth's tile and the order of the loops above it, and gives every deeper level that same tile.
    private void Place(int depth, long tm, long tk, long tn, Dim[] order)
    {
        // a level already so is left as it is: the leaf loop places up to six orders of one tile in a row, and each store
        // of a tile (it holds references) costs write barriers
        ref var above = ref _nest[depth - 1];
        if (!ReferenceEquals(above.Order, order)) above = above with { Order = order };
        for (int i = depth; i < _nest.Length; i++)
        {
            ref var t = ref _nest[i];
            var def = _space.DefaultOrder(i);
            if (t.M != tm || t.K != tk || t.N != tn || !ReferenceEquals(t.Order, def)) t = t with { M = tm, K = tk, N = tn, Order = def };
        }
    }

    // Every deeper level may hold the same tile: it fits them and their tile constraints allow it.
    private bool DeeperFit(int depth, long tm, long tk, long tn)
    {
        var same = new LevelTile(0, "", tm, tk, tn, Mapspace.Orders[0]);
        for (int i = depth + 1; i < _nest.Length; i++)
            if (!_space.Fits(i, tm, tk, tn) || !_space.AllowsTile(i, same, tm, tk, tn)) return false;
        return true;
    }

    private void Search(int depth)
    {
        var ch = _children[depth];
        var parent = _nest[depth - 1];
        var (nm, nk, nn) = _space.Sizes(depth, parent, ch.Sizes);
        int count = 0;
        // per order class (OrderClass) of the current tile: the keys of its first scored leaf (known), or the class bound
        // that skipped it (bounded)
        Span<double> classKeys = stackalloc double[8];
        int known = 0, bounded = 0;
        for (int a = 0; a < nm; a++)
        for (int b = 0; b < nk; b++)
        for (int c = 0; c < nn; c++)
        {
            long tm = ch.Sizes[a], tk = ch.Sizes[Mapspace.MaxSizes + b], tn = ch.Sizes[2 * Mapspace.MaxSizes + c];
            if (!_space.Fits(depth, tm, tk, tn)) continue;
            bool leaf = depth == _nest.Length - 1, whole = !leaf && DeeperFit(depth, tm, tk, tn);
            // one bound for every loop order of this tile (and every deeper choice): see LeafBound
            var bound = (Primary: double.NegativeInfinity, Secondary: double.NegativeInfinity);
            if (leaf && _pruning)
                bound = depth == 1 ? Keys(_bound!.Of(tm, tk, tn)) : Keys(_bound!.Of(_nest[1].M, _nest[1].K, _nest[1].N));
            // the keys of the orders taken so far (a key is below 64: three loops of four values)
            ulong seen = 0;
            known = bounded = 0;
            int split = Mapspace.SplitMask(parent, tm, tk, tn);
            for (int o = 0; o < Mapspace.Orders.Length; o++)
            {
                if (!_space.AllowsOrder(depth - 1, o)) continue;
                var order = Mapspace.Orders[o];
                int key = Mapspace.NontrivialKey(split, o);
                if ((seen >> key & 1) != 0) continue;
                seen |= 1UL << key;
                if (leaf)
                {
                    int cls = OrderClass(key);
                    if (_classes && (known >> cls & 1) != 0)
                    {
                        // the same score as the class's first leaf, which was offered before: this one cannot win
                        _evaluated++;
                        if (_logging) _log.Add(tm, tk, tn, o, classKeys[2 * cls], classKeys[2 * cls + 1], exact: true);
                        continue;
                    }
                    if (_classes && (bounded >> cls & 1) != 0)
                    {
                        // the class bound that skipped the class's first leaf skips it still (the incumbent only improves)
                        _evaluated++;
                        if (_logging) _log.Add(tm, tk, tn, o, classKeys[2 * cls], classKeys[2 * cls + 1], exact: false, classBound: true);
                        continue;
                    }
                    if (Pruned(bound.Primary, bound.Secondary))
                    {
                        _evaluated++; // counted as a candidate, as when it is scored: the count does not depend on pruning
                        if (_logging) _log.Add(tm, tk, tn, o, bound.Primary, bound.Secondary, exact: false);
                        continue;
                    }
                    Place(depth, tm, tk, tn, order);
                    if (_classes && _pruning)
                    {
                        var cb = ClassBound(cls);
                        if (Pruned(cb.Primary, cb.Secondary))
                        {
                            _evaluated++;
                            if (_logging) _log.Add(tm, tk, tn, o, cb.Primary, cb.Secondary, exact: false, classBound: true);
                            classKeys[2 * cls] = cb.Primary; classKeys[2 * cls + 1] = cb.Secondary; bounded |= 1 << cls;
                            continue;
                        }
                    }
                    var exact = Keys(ScoreLeaf());
                    Scored++;
                    if (_classes) { classKeys[2 * cls] = exact.Primary; classKeys[2 * cls + 1] = exact.Secondary; known |= 1 << cls; }
                    if (!_secondPass) Recorder?.Add(_map, _bits, _compute, _busyPeCycles);
                    if (_logging) _log.Add(tm, tk, tn, o, exact.Primary, exact.Secondary, exact: true);
                    if (!Pruned(exact.Primary, exact.Secondary)) Offer(exact.Primary, exact.Secondary);
                    continue;
                }
                Place(depth, tm, tk, tn, order);
                var (primary, secondary) = Keys(Score(depth));
                if (Pruned(primary, secondary)) continue;
                if (whole)
                {
                    var exact = Keys(Score());
                    if (!Pruned(exact.Primary, exact.Secondary)) Offer(exact.Primary, exact.Secondary);
                    if (exact.Primary == primary && exact.Secondary == secondary) continue; // the bound is reached: nothing below beats it
                }
                ch.Add(count++, tm, tk, tn, o, _secondPass ? secondary : primary);
            }
        }
        ch.Sort(count);
        for (int i = 0; i < count; i++)
        {
            int at = ch.Index[i];
            Place(depth, ch.M[at], ch.K[at], ch.N[at], Mapspace.Orders[ch.Order[at]]);
            var (primary, secondary) = ch.Bound(at, _secondPass);
            if (Pruned(primary, secondary)) continue;
            Search(depth + 1);
        }
    }

    // The second pass over a segment the first pass logged: the same candidates in the same order, with their scores,
    // or the lower bound the first pass skipped them by; such a leaf is scored now unless its bound prunes it here too.
    // A leaf of a tile and order class (OrderClass) whose earlier leaf was scored here takes its keys (see Search).
    private void Replay(int segment)
    {
        var (from, to) = _log.Range(segment);
        long cm = -1, ck = -1, cn = -1;
        int known = 0, bounded = 0;
        for (int i = from; i < to; i++)
        {
            _evaluated++;
            double primary = _log.Primary[i], secondary = _log.Secondary[i];
            if (_log.Exact[i] || !_classes)
            {
                if (Pruned(primary, secondary)) continue;
                Place(1, _log.M[i], _log.K[i], _log.N[i], Mapspace.Orders[_log.Order[i]]);
                if (!_log.Exact[i])
                {
                    (primary, secondary) = Keys(ScoreLeafNest());
                    Scored++;
                    if (Pruned(primary, secondary)) continue;
                }
                Offer(primary, secondary);
                continue;
            }
            // a leaf the first pass skipped by its bound
            long m = _log.M[i], k = _log.K[i], n = _log.N[i];
            if (m != cm || k != ck || n != cn) { cm = m; ck = k; cn = n; known = bounded = 0; }
            int o = _log.Order[i];
            var order = Mapspace.Orders[o];
            int cls = OrderClass(Mapspace.NontrivialKey(Mapspace.SplitMask(_nest[0], m, k, n), o));
            // the same keys as the class's leaf scored here before (it cannot win), or the class bound skipped that leaf
            if (((known | bounded) >> cls & 1) != 0) continue;
            if (Pruned(primary, secondary)) continue;
            Place(1, m, k, n, order);
            // (a logged class bound was just checked: computing it again would not prune)
            if (_pruning && !_log.ClassBound[i] && Pruned(ClassBound(cls))) { bounded |= 1 << cls; continue; }
            (primary, secondary) = Keys(ScoreLeafNest());
            Scored++;
            known |= 1 << cls;
            if (Pruned(primary, secondary)) continue;
            Offer(primary, secondary);
        }
    }

    /// <summary>
    /// A lower bound on the keys of the complete mapping in <c>_nest</c> (one on-chip level), whose DRAM loop order is of
    /// order class <paramref name="cls"/>, that takes its DRAM traffic exactly and no other: the score ScoreNest computes with
    /// the on-chip levels' energy and bandwidth time left out. Every term it drops is non-negative (the mapper prunes only
    /// with non-negative energies and powers, <see cref="LeafBound.Usable"/>), the busy time it takes is the compute time (the
    /// exact one is at least that), and the closed form and the energy grow with both through the same monotone operations,
    /// so no rounding lifts it above the exact keys (the brute-force tests check it on whole mapspaces). It depends on the
    /// tile and the order class only, and <see cref="ClassBounds"/> computes it from terms it computes once per tile: it
    /// equals <see cref="ClassBoundReference"/>, its definition, bit for bit.
    /// </summary>
    private (double Primary, double Secondary) ClassBound(int cls)
    {
        _counts.Compute(_p, _map);
        _classBounds.Tile(_map, _counts);
        return Keys(_classBounds.Of(cls, _map, _counts));
    }

    // The class bound's definition: the DRAM bits of the whole mapping (TrafficModel.AccumulateDram), priced as ScoreNest
    // prices them with the other levels left out.
    private (double Primary, double Secondary) ClassBoundReference()
    {
        _counts.Compute(_p, _map);
        _dramBits.Clear();
        TrafficModel.AccumulateDram(_space.View, _p, _map, _counts, _dramBits, _p.OnChip.Tensors);
        var (rw, ww) = TrafficCost.LevelWords(_arch, _dramBits, MemoryLevels.Dram);
        var memory = new MemoryCost(TrafficCost.LevelPj(_cost.Levels[MemoryLevels.Dram], rw, ww), 0,
            _dramBits.Reads(MemoryLevels.Dram) * (1.0 / 8), _dramBits.Writes(MemoryLevels.Dram) * (1.0 / 8));
        double cycles = TileTimeline.ClosedForm(_space.View, _p, _map, _compute, memory, _counts);
        return Keys(new MappingScore(cycles, EnergyModel.TotalPj(_arch, _cost, memory.MemoryPj, _busyPeCycles, cycles)));
    }

    /// <summary>Test access to the class bound of <paramref name="m"/> (a mapping of <paramref name="p"/> with one on-chip level): (as the search computes it, its definition).</summary>
    internal ((double Primary, double Secondary) Fast, (double Primary, double Secondary) Reference) ClassBoundOf(GemmProblem p, GemmMapping m, double computeCycles)
    {
        TakeScratch();
        Start(p, computeCycles, m.Dataflow, ViewOf(m.Bypass));
        Array.Copy(m.Levels.ToArray(), _nest, _nest.Length);
        var dram = _nest[0];
        int cls = OrderClass(Mapspace.NontrivialKey(dram, dram.Order, _nest[1].M, _nest[1].K, _nest[1].N));
        return (ClassBound(cls), ClassBoundReference());
    }

    /// <summary>
    /// The order class of a loop order of the DRAM level from its <see cref="Mapspace.NontrivialKey"/>: the innermost loop
    /// with more than one trip (1 + its <see cref="Dim"/>), 0 when none has. With one on-chip level a mapping's traffic
    /// depends on that order only through this loop: an operand's DRAM tile is fetched again across the loop of the
    /// dimension that does not index it exactly when the innermost loop indexes it (the visits <see cref="Reuse.Factor"/>
    /// counts), and the array's crossings are fixed by the tile and the fold order (the brute-force tests check it).
    /// </summary>
    internal static int OrderClass(int nontrivialKey) => nontrivialKey & 3;

    internal static double TileBytes(MemoryLevelSpec level, GemmProblem p, long tm, long tk, long tn) => TileBytes(level.Holds, p, tm, tk, tn);

    /// <summary>Bytes of a tm×tk×tn tile of the tensors in <paramref name="holds"/> (outputs at accumulator width).</summary>
    internal static double TileBytes(TensorSet holds, GemmProblem p, long tm, long tk, long tn)
    {
        double bits = 0;
        if ((holds & TensorSet.Inputs) != 0) bits += (double)tm * tk * p.LeftBits;
        if ((holds & TensorSet.Weights) != 0) bits += (double)tk * tn * p.RightBits;
        if ((holds & TensorSet.Outputs) != 0) bits += (double)tm * tn * p.AccumulatorBits;
        return bits / 8;
    }
}
