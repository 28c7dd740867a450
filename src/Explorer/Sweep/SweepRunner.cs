using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>How to run a sweep: output folder, parallelism, shard, progress callback and cancellation.</summary>
public sealed record SweepRunOptions(string OutDir, int Jobs = 1, ShardSpec? Shard = null, Action<SweepProgress>? Progress = null, CancellationToken Cancel = default);

/// <summary>Progress so far: design points finished (evaluated or reused) out of those planned.</summary>
public sealed record SweepProgress(int Done, int Total, int Reused, TimeSpan Elapsed);

/// <summary>What a run did: points planned and evaluated, rows written, valid/invalid counts, and whether it was interrupted.</summary>
public sealed record SweepRunResult(int Points, int Evaluated, int Reused, int Rows, int Valid, int Invalid, int Repaired, bool Interrupted, TimeSpan Elapsed, ResultSchema Schema, ResultTable Table);

/// <summary>
/// Evaluates a sweep's design points in parallel and streams one CSV row per point and workload into points.csv.
/// Rows already present (same key) are reused, so an interrupted or extended sweep resumes where it stopped;
/// at the end the file is rewritten in (point, workload) order so it does not depend on the number of jobs.
/// </summary>
public sealed class SweepRunner
{
    private readonly SweepSpec _spec;
    private readonly IDesignEvaluator _evaluator;
    private readonly SweepRunOptions _options;
    private readonly ResultSchema _schema;
    private readonly Dictionary<string, int> _workloadOrder;
    private Dictionary<string, ResultRow> _existing = new();
    private readonly ConcurrentDictionary<string, ResultRow> _rows = new();
    private readonly Stopwatch _clock = new();
    private int _done, _reused, _evaluated, _total;

    public SweepRunner(SweepSpec spec, IDesignEvaluator evaluator, SweepRunOptions options)
    {
        _spec = spec;
        _evaluator = evaluator;
        _options = options;
        _schema = new ResultSchema(spec.Parameters.Select(p => p.Path).ToList(), evaluator.LabelNames, evaluator.Metrics);
        _workloadOrder = spec.Workloads.Select((w, i) => (w.Label, i)).ToDictionary(x => x.Label, x => x.i);
        if (options.Shard is not null && spec.Strategy is Nsga2Strategy)
            throw new MantissaException("--shard needs a grid or random strategy: NSGA-II chooses each generation from the previous one's results");
    }

    public ResultSchema Schema => _schema;

    public static string PointsPath(string dir) => Path.Combine(dir, "points.csv");

    public SweepRunResult Run()
    {
        _clock.Start();
        Directory.CreateDirectory(_options.OutDir);
        string path = PointsPath(_options.OutDir);
        int repaired = LoadExisting(path);
        bool interrupted = false;
        var planned = new List<DesignPoint>();
        using (var writer = PointsCsv.Append(path, _schema.Header))
        {
            try
            {
                var space = new DesignSpace(_spec);
                if (_spec.Strategy is Nsga2Strategy nsga)
                {
                    var search = new Nsga2Search(space, nsga);
                    _total = nsga.Population * (nsga.Generations + 1);
                    search.Run(batch =>
                    {
                        planned.AddRange(batch);
                        EvaluateBatch(batch, writer);
                        return batch.Select(FitnessOf).ToList();
                    }, _options.Cancel);
                }
                else
                {
                    var points = PointGenerator.Generate(space, _spec.Strategy);
                    planned.AddRange(_options.Shard is { } shard ? points.Where(p => shard.Owns(p.Index)) : points);
                    _total = planned.Count;
                    EvaluateBatch(planned, writer);
                }
            }
            catch (OperationCanceledException)
            {
                interrupted = true;
            }
        }
        var table = Finish(path);
        int valid = table.Rows.Count(r => r[ResultSchema.StatusCol] == "valid");
        return new SweepRunResult(planned.Count, _evaluated, _reused, table.Rows.Count, valid, table.Rows.Count - valid, repaired,
                                  interrupted, _clock.Elapsed, _schema, table);
    }

    /// <summary>Reads rows of an earlier run of this sweep (dropping a cut-off last line); refuses a file of another layout.</summary>
    private int LoadExisting(string path)
    {
        if (!File.Exists(path)) return 0;
        int repaired = PointsCsv.TruncatePartialLine(path);
        if (new FileInfo(path).Length == 0) return repaired;
        var table = PointsCsv.Read(path, repair: true, out int dropped);
        if (!table.Header.SequenceEqual(_schema.Header))
            throw new MantissaException($"{path} was written by a sweep with other columns ({string.Join(",", table.Header)}); " +
                                        "use another --out folder or delete the file");
        _existing = new Dictionary<string, ResultRow>();
        foreach (var row in table.Rows) _existing[row[ResultSchema.KeyCol]] = _schema.FromCells(row, path);
        if (dropped > 0) PointsCsv.WriteAll(path, table.Header, table.Rows);
        return repaired + dropped;
    }

    private void EvaluateBatch(IReadOnlyList<DesignPoint> points, PointsCsv writer)
    {
        var slots = new ResultRow[points.Count][];
        var done = new bool[points.Count];
        int next = 0;
        var gate = new object();

        void Complete(int i, ResultRow[] rows, bool reused)
        {
            lock (gate)
            {
                slots[i] = rows;
                done[i] = true;
                if (reused) _reused++; else _evaluated++;
                _done++;
                var flush = new List<ResultRow>();
                while (next < points.Count && done[next])
                {
                    if (slots[next] is { Length: > 0 } r) flush.AddRange(r);
                    slots[next] = null!;
                    next++;
                }
                if (flush.Count > 0) writer.Write(flush.Select(_schema.ToCells));
                _options.Progress?.Invoke(new SweepProgress(_done, Math.Max(_total, _done), _reused, _clock.Elapsed));
            }
        }

        void Work(int i)
        {
            var (rows, reused) = RowsFor(points[i]);
            Complete(i, reused ? Array.Empty<ResultRow>() : rows, reused);
        }

        try
        {
            if (_options.Jobs <= 1)
            {
                for (int i = 0; i < points.Count; i++)
                {
                    _options.Cancel.ThrowIfCancellationRequested();
                    Work(i);
                }
            }
            else
            {
                int chunk = Math.Clamp(points.Count / (_options.Jobs * 16), 1, 64);
                var parts = System.Collections.Concurrent.Partitioner.Create(0, points.Count, chunk);
                Parallel.ForEach(parts, new ParallelOptions { MaxDegreeOfParallelism = _options.Jobs, CancellationToken = _options.Cancel },
                    (range, state) =>
                    {
                        for (int i = range.Item1; i < range.Item2; i++)
                        {
                            if (_options.Cancel.IsCancellationRequested) { state.Stop(); return; }
                            Work(i);
                        }
                    });
                _options.Cancel.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            // keep every finished row, even those waiting behind an unfinished point
            lock (gate)
            {
                var rest = new List<ResultRow>();
                for (int i = next; i < points.Count; i++)
                    if (done[i] && slots[i] is { Length: > 0 } r) rest.AddRange(r);
                if (rest.Count > 0) writer.Write(rest.Select(_schema.ToCells));
            }
            throw;
        }
    }

    /// <summary>The rows of one design point: reused from an earlier run when all its keys are present, else evaluated.</summary>
    private (ResultRow[] rows, bool reused) RowsFor(DesignPoint point)
    {
        string config = _evaluator.ConfigKey(point);
        var keys = _spec.Workloads.Select(w => Key(config, w)).ToArray();
        if (keys.All(_existing.ContainsKey))
        {
            var old = keys.Select(k => _existing[k] with { Point = point.Index }).ToArray();
            for (int w = 0; w < keys.Length; w++) Keep(keys[w], old[w], point.Index);
            return (old, true);
        }
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
            rows[w] = _existing.TryGetValue(keys[w], out var prior) ? prior with { Point = point.Index } : BuildRow(point, _spec.Workloads[w], keys[w], results[w]);
            Keep(keys[w], rows[w], point.Index);
        }
        return (rows, false);
    }

    /// <summary>Two points can resolve to the same design; the lower point index wins so the result does not depend on timing.</summary>
    private void Keep(string key, ResultRow row, int index) =>
        _rows.AddOrUpdate(key, row, (_, old) => old.Point <= index ? old : row);

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
        string config = _evaluator.ConfigKey(point);
        var rows = _spec.Workloads.Select(w => _rows[Key(config, w)]).ToList();
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

    /// <summary>Rewrites points.csv: this run's rows in (point, workload) order, then rows of other runs in their old order.</summary>
    private ResultTable Finish(string path)
    {
        var current = _rows.Values
            .OrderBy(r => r.Point)
            .ThenBy(r => _workloadOrder.GetValueOrDefault(r.Workload, int.MaxValue))
            .ToList();
        var others = _existing.Where(kv => !_rows.ContainsKey(kv.Key)).Select(kv => kv.Value);
        var all = current.Concat(others).Select(_schema.ToCells).ToList();
        PointsCsv.WriteAll(path, _schema.Header, all);
        return new ResultTable(_schema.Header, all, path);
    }

    /// <summary>The resume key of a row: a hash of the resolved configuration and the workload.</summary>
    public static string Key(string configKey, WorkloadSpec workload)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(configKey + "\n@workload " + workload.Label));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
