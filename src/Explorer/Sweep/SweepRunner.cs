using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>How to run a sweep: output folder, parallelism, shard, progress callback and cancellation.</summary>
public sealed record SweepRunOptions(string OutDir, int Jobs = 1, ShardSpec? Shard = null, Action<SweepProgress>? Progress = null, CancellationToken Cancel = default);

/// <summary>Progress so far: design points finished (evaluated or reused) out of those planned.</summary>
public sealed record SweepProgress(int Done, int Total, int Reused, TimeSpan Elapsed);

/// <summary>What a run did: points planned and evaluated, rows written, valid/invalid counts, and whether it was interrupted.</summary>
public sealed record SweepRunResult(int Points, int Evaluated, int Reused, int Rows, int Valid, int Invalid, int Repaired, bool Interrupted, TimeSpan Elapsed, ResultSchema Schema, string PointsFile)
{
    /// <summary>Where the run's time went (workers, locks, garbage collection); null when it was not measured.</summary>
    public SweepRunStats? Stats { get; init; }

    private ResultTable? _table;

    /// <summary>The final points.csv, read on first use (a run itself keeps no rows in memory).</summary>
    public ResultTable Table => _table ??= PointsCsv.Read(PointsFile, repair: false, out _);
}

/// <summary>
/// Evaluates a sweep's design points in parallel and streams one CSV row per point and workload into points.csv, in
/// (point, workload) order, as they finish. Rows already present (same key) are reused, so an interrupted or extended
/// sweep resumes where it stopped. Memory is flat in the number of rows: the run keeps a 16-byte key and a position per
/// row, never the rows. A fresh grid or random run's file is final as written; after a resume (or an NSGA-II run that
/// revisits a design under a lower index) the file is rewritten from its own records in (point, workload) order, then
/// the earlier run's other rows in their old order, so it never depends on the number of jobs.
/// </summary>
public sealed class SweepRunner
{
    private readonly SweepSpec _spec;
    private readonly IDesignEvaluator _evaluator;
    private readonly SweepRunOptions _options;
    private readonly ResultSchema _schema;
    private readonly Dictionary<string, int> _workloadOrder;
    private readonly string _pointsPath;
    // rows of an earlier run: where each lies in points.csv (records before _oldEnd), read back only when reused
    private readonly Dictionary<UInt128, RecordSpan> _old = new();
    private long _oldEnd;
    private int _oldDropped;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _oldFile;
    // this run's rows in final order: key and point, and where each key sits in that order
    private readonly List<(UInt128 Key, int Point, int Workload)> _order = new();
    private readonly Dictionary<UInt128, int> _emitted = new();
    private bool _rewrite;
    private int _valid;
    // NSGA-II reads the rows of the batch it just asked for
    private readonly ConcurrentDictionary<string, ResultRow> _batch = new();
    // NSGA-II: each batch point's row keys, so its fitness does not resolve the design again for them
    private readonly ConcurrentDictionary<int, string[]> _batchKeys = new();
    private readonly Stopwatch _clock = new();
    private readonly RowKeyHasher _keys = new();
    // each worker thread's line builder (it remembers the last text of every column, so it is not shared)
    private readonly ThreadLocal<PointsCsvRows> _formats = new(() => new PointsCsvRows());
    // the lowest point of this batch seen for each design (by its first row's key): a later point of the same design is
    // reused. A dictionary under its own lock, not a concurrent one: that allocates a node per entry, which lives as long
    // as the batch (every point of a grid), so each is promoted through the GC's generations.
    private readonly Dictionary<UInt128, int> _designs = new();
    private int _done, _reused, _evaluated, _total;
    private readonly List<WorkerStats> _workers = new();

    public SweepRunner(SweepSpec spec, IDesignEvaluator evaluator, SweepRunOptions options)
    {
        _spec = spec;
        _evaluator = evaluator;
        _options = options;
        _schema = new ResultSchema(spec.Parameters.Select(p => p.Path).ToList(), evaluator.LabelNames, evaluator.Metrics);
        _workloadOrder = spec.Workloads.Select((w, i) => (w.Label, i)).ToDictionary(x => x.Label, x => x.i);
        _pointsPath = PointsPath(options.OutDir);
        if (options.Shard is not null && spec.Strategy is Nsga2Strategy)
            throw new MantissaException("--shard needs a grid or random strategy: NSGA-II chooses each generation from the previous one's results");
    }

    public ResultSchema Schema => _schema;

    public static string PointsPath(string dir) => Path.Combine(dir, "points.csv");

    public SweepRunResult Run()
    {
        _clock.Start();
        var meter = new SweepRunMeter();
        Directory.CreateDirectory(_options.OutDir);
        string path = PointsPath(_options.OutDir);
        int repaired = IndexExisting(path);
        bool interrupted = false;
        int planned = 0;
        try
        {
            using var writer = PointsCsv.Append(path, _schema.Header);
            try
            {
                var space = new DesignSpace(_spec);
                if (_spec.Strategy is Nsga2Strategy nsga)
                {
                    var search = new Nsga2Search(space, nsga);
                    _total = nsga.Population * (nsga.Generations + 1);
                    search.Run(batch =>
                    {
                        planned += batch.Count;
                        _batch.Clear();
                        _batchKeys.Clear();
                        EvaluateBatch(batch, writer);
                        return batch.Select(FitnessOf).ToList();
                    }, _options.Cancel);
                }
                else
                {
                    var points = _spec.Strategy is GridStrategy ? new GridPoints(space, _options.Shard) : Owned(PointGenerator.Generate(space, _spec.Strategy));
                    planned = _total = points.Count;
                    EvaluateBatch(points, writer);
                }
            }
            catch (OperationCanceledException)
            {
                interrupted = true;
            }
        }
        finally
        {
            _oldFile?.Dispose();
        }
        int rows = Finish(path);
        return new SweepRunResult(planned, _evaluated, _reused, rows, _valid, rows - _valid, repaired,
                                  interrupted, _clock.Elapsed, _schema, path) { Stats = meter.Stop(_workers) };
    }

    private IReadOnlyList<DesignPoint> Owned(IReadOnlyList<DesignPoint> points) =>
        _options.Shard is { } shard ? points.Where(p => shard.Owns(p.Index)).ToList() : points;

    /// <summary>
    /// Indexes the rows of an earlier run of this sweep (dropping a cut-off last line and records with the wrong number
    /// of fields); refuses a file of another layout.
    /// </summary>
    private int IndexExisting(string path)
    {
        if (!File.Exists(path)) return 0;
        int repaired = PointsCsv.TruncatePartialLine(path);
        if (new FileInfo(path).Length == 0) return repaired;
        var header = PointsCsv.ReadHeader(path);
        if (!header.SequenceEqual(_schema.Header))
            throw new MantissaException($"{path} was written by a sweep with other columns ({string.Join(",", header)}); " +
                                        "use another --out folder or delete the file");
        _oldEnd = new FileInfo(path).Length;
        _oldFile = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        foreach (var (span, fields) in CsvRecords.Scan(path))
        {
            if (fields != header.Count) { _oldDropped++; continue; }
            string key = CsvRecords.Field(CsvRecords.Read(_oldFile, span), ResultSchema.KeyCol);
            _old[CsvRecords.KeyId(key)] = span;
        }
        _rewrite = _old.Count > 0 || _oldDropped > 0;
        return repaired + _oldDropped;
    }

    /// <summary>A row of the earlier run, read back from its record.</summary>
    private ResultRow OldRow(RecordSpan span, string path) =>
        _schema.FromCells(PointsCsv.ParseRecord(CsvRecords.Read(_oldFile!, span)), path);

    private void EvaluateBatch(IReadOnlyList<DesignPoint> points, PointsCsv writer)
    {
        // sized once for the batch: growing it step by step left each outgrown table on the large-object heap until a
        // full collection (+85 MB resident on the 1,000,000-point sweep)
        lock (_designs)
        {
            _designs.Clear();
            _designs.EnsureCapacity(points.Count);
        }
        // the first batch (a grid's or random run's only one) places at most a row per point and workload: sized for that
        // at once, the order and its index skip the doublings whose outgrown arrays (on the large-object heap from about 2,700 rows)
        // only a full collection frees; NSGA-II's later batches grow them as they come
        if (_order.Count == 0)
        {
            long rows = (long)points.Count * _spec.Workloads.Count;
            int capacity = (int)Math.Min(rows, PointGenerator.MaxPoints);
            _order.Capacity = Math.Max(_order.Capacity, capacity);
            _emitted.EnsureCapacity(capacity);
        }
        // under the hand-off's lock, in point order: count, place and write the rows (encoded by their workers), report progress
        void HandOn(List<Finished> ready)
        {
            _writeCount = 0;
            foreach (var f in ready)
            {
                if (f.Reused) _reused++; else _evaluated++;
                _done++;
                Emit(f.Rows);
            }
            if (_writeCount > 0) writer.Write(_write, _writeCount, _schema);
            Array.Clear(_write, 0, _writeCount); // hold no rows once written
            _options.Progress?.Invoke(new SweepProgress(_done, Math.Max(_total, _done), _reused, _clock.Elapsed));
        }
        var handoff = new InOrderHandoff<Finished>(points.Count, HandOn);
        try
        {
            _workers.AddRange(SweepWorkers.Run(points.Count, _options.Jobs, _options.Cancel, (i, meter) =>
            {
                var (rows, reused) = RowsFor(points[i], meter);
                long start = Stopwatch.GetTimestamp();
                var lines = Lines(rows, reused);
                meter.Formatted(Stopwatch.GetTimestamp() - start);
                handoff.Complete(i, new Finished(lines, reused), meter);
            }));
        }
        catch (OperationCanceledException)
        {
            // keep every finished row, even those waiting behind an unfinished point
            HandOn(handoff.Stranded());
            throw;
        }
    }

    // the rows to write of the finished points being handed on. An array and a count, not a List<RowLine>: ReadyToRun
    // does not precompile a CoreLib generic over this assembly's struct, so the list's methods were compiled at start-up.
    private RowLine[] _write = new RowLine[16];
    private int _writeCount;
    private static readonly RowLine[] NoLines = new RowLine[0];

    private void Add(RowLine line)
    {
        if (_writeCount == _write.Length)
        {
            var bigger = new RowLine[2 * _write.Length];
            Array.Copy(_write, bigger, _writeCount);
            _write = bigger;
        }
        _write[_writeCount++] = line;
    }

    /// <summary>A finished design point's rows with their lines, and whether they came from an earlier run.</summary>
    private sealed record Finished(RowLine[] Rows, bool Reused);

    /// <summary>
    /// The rows with their points.csv lines, encoded here by the worker (its own <see cref="PointsCsvRows"/>), so the
    /// hand-off's lock only copies bytes. Rows of an earlier run are not written again: they get no line.
    /// </summary>
    private RowLine[] Lines(ResultRow[] rows, bool reused)
    {
        if (rows.Length == 0) return NoLines;
        var lines = new RowLine[rows.Length];
        var format = reused ? null : _formats.Value!;
        for (int r = 0; r < rows.Length; r++)
            lines[r] = format is null || _old.Count > 0 && _old.ContainsKey(CsvRecords.KeyId(rows[r].Key)) ? RowLine.Without(rows[r]) : format.Encode(rows[r]);
        return lines;
    }

    /// <summary>
    /// Puts a finished point's rows in the final order (called in point order, under the lock): a key this run already
    /// placed keeps the lower point index; rows of an earlier run are not written again (the final rewrite copies them).
    /// </summary>
    private void Emit(RowLine[] rows)
    {
        foreach (var line in rows)
        {
            var row = line.Row;
            var id = CsvRecords.KeyId(row.Key);
            if (_emitted.TryGetValue(id, out int at))
            {
                if (row.Point < _order[at].Point)
                {
                    _order[at] = (id, row.Point, _order[at].Workload);
                    _rewrite = true;
                }
                line.Release();
                continue;
            }
            if (_order.Count > 0 && row.Point < _order[^1].Point) _rewrite = true;
            _emitted[id] = _order.Count;
            _order.Add((id, row.Point, _workloadOrder.GetValueOrDefault(row.Workload, int.MaxValue)));
            if (row.Valid) _valid++;
            if (!_old.ContainsKey(id)) Add(line);
            else line.Release();
        }
    }

    /// <summary>The rows of one design point: reused from an earlier run when all its keys are present, else evaluated.</summary>
    private (ResultRow[] rows, bool reused) RowsFor(DesignPoint point, WorkerMeter meter)
    {
        long start = Stopwatch.GetTimestamp();
        var keys = new string[_spec.Workloads.Count];
        _evaluator.RowKeys(point, _spec.Workloads, _keys, keys);
        if (_spec.Strategy is Nsga2Strategy) _batchKeys[point.Index] = keys;
        long keyed = Stopwatch.GetTimestamp();
        meter.Keyed(keyed - start);
        try { return RowsFor(point, keys); }
        finally { meter.Evaluated(Stopwatch.GetTimestamp() - keyed); }
    }

    private (ResultRow[] rows, bool reused) RowsFor(DesignPoint point, string[] keys)
    {
        string path = _pointsPath; // built once: Path.Combine here allocated a string on every point
        if (_old.Count > 0 && keys.All(k => _old.ContainsKey(CsvRecords.KeyId(k))))
        {
            var old = keys.Select(k => OldRow(_old[CsvRecords.KeyId(k)], path) with { Point = point.Index }).ToArray();
            for (int w = 0; w < keys.Length; w++) Keep(keys[w], old[w], point.Index);
            return (old, true);
        }
        // rows of a point that repeats an earlier point's design are dropped when placed (Emit): not evaluated at all
        if (keys.Length > 0 && FirstOfDesign(CsvRecords.KeyId(keys[0]), point.Index) < point.Index) return ([], true);
        IReadOnlyList<Evaluation> results;
        try
        {
            results = _evaluator.Evaluate(point, _spec.Workloads);
        }
        catch (MantissaException e)
        {
            results = _spec.Workloads.Select(_ => Evaluation.Invalid(e.Message)).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // a model bug on one design should not end a long sweep: keep the row, say what happened
            string reason = $"internal error ({e.GetType().Name}: {e.Message}); this is a bug in mantissa, please report it";
            results = _spec.Workloads.Select(_ => Evaluation.Invalid(reason)).ToList();
        }
        var rows = new ResultRow[keys.Length];
        for (int w = 0; w < keys.Length; w++)
        {
            rows[w] = _old.Count > 0 && _old.TryGetValue(CsvRecords.KeyId(keys[w]), out var prior) ? OldRow(prior, path) with { Point = point.Index } : BuildRow(point, _spec.Workloads[w], keys[w], results[w]);
            Keep(keys[w], rows[w], point.Index);
        }
        return (rows, false);
    }

    /// <summary>The lowest point of the batch so far whose design has the row key <paramref name="design"/> (<paramref name="index"/> when it is the first).</summary>
    private int FirstOfDesign(UInt128 design, int index)
    {
        lock (_designs)
        {
            if (_designs.TryGetValue(design, out int first)) return first;
            _designs.Add(design, index);
            return index;
        }
    }

    /// <summary>Two points of a batch can resolve to the same design; the lower point index wins so the result does not depend on timing.</summary>
    private void Keep(string key, ResultRow row, int index)
    {
        if (_spec.Strategy is Nsga2Strategy) _batch.AddOrUpdate(key, row, (_, old) => old.Point <= index ? old : row);
    }

    private ResultRow BuildRow(DesignPoint point, WorkloadSpec workload, string key, Evaluation e)
    {
        var parameters = new string[_schema.Parameters.Count];
        for (int p = 0; p < parameters.Length; p++) parameters[p] = point.ValueOf(_schema.Parameters[p]);
        var labels = new string[_schema.Labels.Count];
        for (int l = 0; l < labels.Length; l++) labels[l] = e.Labels.GetValueOrDefault(_schema.Labels[l], "");
        var metrics = new double[_schema.MetricIds.Count];
        for (int m = 0; m < metrics.Length; m++) metrics[m] = e.Metrics[_schema.MetricIds[m]];
        string? reason = e.InvalidReason;
        if (reason is null)
        {
            foreach (var c in _spec.Constraints)
            {
                double v = e.Metrics[c.Metric];
                if (double.IsNaN(v)) { reason = $"constraint '{c.Text}': metric {c.Metric.Name()} not reported"; break; }
                if (!c.Holds(v)) { reason = $"violates '{c.Text}' ({c.Metric.Name()} = {v:G4})"; break; }
            }
        }
        return new ResultRow(point.Index, workload.Label, key, reason is null ? null : OneLine(reason), parameters, labels, metrics);
    }

    private static string OneLine(string s) => string.Join(" ", s.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()));

    /// <summary>Fitness for NSGA-II: objectives aggregated over workloads by geometric mean, violations = invalid workloads.</summary>
    private Fitness FitnessOf(DesignPoint point)
    {
        var rows = _batchKeys[point.Index].Select(k => _batch[k]).ToList();
        int violations = rows.Count(r => !r.Valid);
        var objectives = new double[_spec.Objectives.Count];
        for (int k = 0; k < objectives.Length; k++)
        {
            var o = _spec.Objectives[k];
            int col = IndexOfMetric(o.Metric);
            var values = rows.Where(r => r.Valid).Select(r => r.Metrics[col]).ToList();
            double agg = values.Count == 0 ? double.NaN
                : values.All(v => v > 0) ? Math.Exp(values.Average(Math.Log)) : values.Average();
            if (double.IsNaN(agg)) { violations = Math.Max(violations, 1); agg = 0; }
            objectives[k] = o.Minimised(agg);
        }
        return new Fitness(objectives, violations);
    }

    private int IndexOfMetric(string metric)
    {
        for (int i = 0; i < _schema.Metrics.Count; i++) if (_schema.Metrics[i] == metric) return i;
        throw new MantissaException($"objective {metric} is not among the metrics the evaluator reports ({string.Join(", ", _schema.Metrics)})");
    }

    /// <summary>
    /// Makes points.csv final and returns its row count. A fresh run's file already is (rows were written in point
    /// order, each key once). Otherwise it is rewritten from its own records: this run's rows in (point, workload)
    /// order with their new point index, then the earlier run's other rows in their old order.
    /// </summary>
    private int Finish(string path)
    {
        if (!_rewrite) return _order.Count;
        // where every record of the journal lies: the earlier run's (indexed at the start) and this run's new ones
        var at = new Dictionary<UInt128, RecordSpan>(_old);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long headerEnd = CsvRecords.HeaderEnd(path);
        foreach (var (span, fields) in CsvRecords.Scan(path, Math.Max(_oldEnd, headerEnd)))
            if (fields == _schema.Header.Length)
                at.TryAdd(CsvRecords.KeyId(CsvRecords.Field(CsvRecords.Read(file, span), ResultSchema.KeyCol)), span);
        // this run's rows sorted by (point, workload)
        var order = Enumerable.Range(0, _order.Count).OrderBy(i => _order[i].Point).ThenBy(i => _order[i].Workload).ToArray();
        string tmp = path + ".tmp";
        int rows = 0;
        using (var w = new StreamWriter(tmp, false, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" })
        {
            w.Write(CsvRecords.Read(file, new RecordSpan(0, (int)headerEnd)));
            foreach (int i in order)
            {
                var (key, point, _) = _order[i];
                var (_, rest) = CsvRecords.SplitFirst(CsvRecords.Read(file, at[key]));
                w.Write(point.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.Write(rest);
                w.Write('\n');
                rows++;
            }
            if (_oldEnd > 0)
            {
                var written = new HashSet<UInt128>();
                foreach (var (span, fields) in CsvRecords.Scan(path))
                {
                    if (span.Offset >= _oldEnd) break;
                    if (fields != _schema.Header.Length) continue;
                    string record = CsvRecords.Read(file, span);
                    var id = CsvRecords.KeyId(CsvRecords.Field(record, ResultSchema.KeyCol));
                    if (_emitted.ContainsKey(id) || !written.Add(id)) continue;
                    w.Write(record);
                    w.Write('\n');
                    rows++;
                    if (CsvRecords.Field(record, ResultSchema.StatusCol) == "valid") _valid++;
                }
            }
        }
        file.Dispose();
        File.Move(tmp, path, overwrite: true);
        return rows;
    }

    /// <summary>The resume key of a row: a hash of the resolved configuration and the workload.</summary>
    public static string Key(string configKey, WorkloadSpec workload) =>
        KeyText(SHA256.HashData(Encoding.UTF8.GetBytes(configKey + WorkloadSeparator + workload.Label)));

    /// <summary>What separates the configuration from the workload label in the hashed text of a <see cref="Key"/>.</summary>
    internal const string WorkloadSeparator = "\n@workload ";

    /// <summary>A key as written: the first 12 bytes of the SHA-256, in lower-case hex.</summary>
    internal static string KeyText(ReadOnlySpan<byte> sha256) => Convert.ToHexStringLower(sha256[..12]);
}

/// <summary>The points of a grid (or one shard of it), built on demand from their index instead of held in a list.</summary>
internal sealed class GridPoints : IReadOnlyList<DesignPoint>
{
    private readonly DesignSpace _space;
    private readonly ShardSpec? _shard;

    public GridPoints(DesignSpace space, ShardSpec? shard)
    {
        if (space.Size > PointGenerator.MaxPoints)
            throw new MantissaException($"the grid has {space.Size} points (more than {PointGenerator.MaxPoints:N0}); use strategy random or nsga2, or fewer values");
        _space = space;
        _shard = shard;
        int n = (int)space.Size;
        Count = shard is null ? n : Math.Max(0, (n - shard.Index + shard.Count - 1) / shard.Count);
    }

    public int Count { get; }

    public DesignPoint this[int i]
    {
        get
        {
            int index = _shard is null ? i : i * _shard.Count + _shard.Index;
            var genome = _space.GenomeAt(index);
            return new DesignPoint(index, genome, _space.SetsOf(genome)); // the genome is new: the point keeps it, uncopied
        }
    }

    public IEnumerator<DesignPoint> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
