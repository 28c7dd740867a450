using System.Globalization;
using Mantissa.Arch;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa merge</c>: joins the results folders of a sharded sweep and rebuilds the frontier, plots and report.</summary>
public sealed class MergeCommand : ICommand
{
    private readonly EvaluatorBackend _backend;

    public MergeCommand() : this(EvaluatorBackend.Default) { }

    public MergeCommand(EvaluatorBackend backend) => _backend = backend;

    public CommandSpec Spec { get; } = new("merge", "Join the results folders of sweep shards into one (points, Pareto front, plots, report).",
        "mantissa merge DIR... --out DIR [--format png,svg,parquet] [--size column|page|WxH]",
        new[]
        {
            new OptionSpec("--out", "DIR", "The merged results folder (created if needed)."),
            new OptionSpec("--format", "LIST", "Files to write: png and svg figures (default png,svg), parquet (points.parquet)."),
            new OptionSpec("--size", "SIZE", "Figure size: column (default), page or WxH in inches."),
        },
        "Every folder must come from the same sweep (same sweep.json columns, objectives and workloads). Rows are\n" +
        "de-duplicated by key and ordered by design point, so merging all shards gives the file an unsharded run writes.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        if (args.Positionals.Count == 0) throw new UsageException("name the shard folders to merge");
        string outDir = Path.GetFullPath(args.Require("--out"));
        var summaries = args.Positionals.Select(d => (dir: d, s: SweepSummary.LoadForMerge(d))).ToList();
        var first = summaries[0].s;
        foreach (var (dir, s) in summaries.Skip(1))
        {
            if (s.Name != first.Name || !s.Parameters.SequenceEqual(first.Parameters) || !s.Metrics.SequenceEqual(first.Metrics) ||
                !s.Labels.SequenceEqual(first.Labels) || !s.Workloads.SequenceEqual(first.Workloads) || !s.Objectives.SequenceEqual(first.Objectives))
                throw new MantissaException($"{dir} holds results of another sweep than {summaries[0].dir} (sweep '{s.Name}' vs '{first.Name}', or different parameters, workloads or objectives)");
            if (s.SweepSha256 is { } h && first.SweepSha256 is { } h0 && h != h0)
                throw new MantissaException($"{dir} and {summaries[0].dir} come from different versions of sweep '{s.Name}' (sweep file SHA-256 {h[..12]}… vs {h0[..12]}…); " +
                                            "merge shards of one sweep file only");
        }
        var shards = summaries.Select(x => x.s.Shard).Where(s => s is not null).Select(s => ShardSpec.Parse(s!)).ToList();
        if (shards.Count > 0)
        {
            int n = shards[0].Count;
            var missing = Enumerable.Range(0, n).Where(i => !shards.Any(s => s.Index == i && s.Count == n)).ToList();
            if (missing.Count > 0) io.Error.WriteLine($"warning: shard(s) {string.Join(", ", missing.Select(i => $"{i}/{n}"))} not among the folders; the merge is partial");
        }

        var order = first.Workloads.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        string[]? header = null;
        var byKey = new Dictionary<string, string[]>();
        foreach (var (dir, _) in summaries)
        {
            var table = PointsCsv.Read(SweepRunner.PointsPath(dir), repair: false, out _);
            header ??= table.Header.ToArray();
            if (!table.Header.SequenceEqual(header)) throw new MantissaException($"{dir}/points.csv has other columns than {summaries[0].dir}/points.csv");
            foreach (var row in table.Rows) byKey.TryAdd(row[ResultSchema.KeyCol], row);
        }
        var rows = byKey.Values
            .OrderBy(r => int.Parse(r[ResultSchema.PointCol], CultureInfo.InvariantCulture))
            .ThenBy(r => order.GetValueOrDefault(r[ResultSchema.WorkloadCol], int.MaxValue))
            .ThenBy(r => r[ResultSchema.KeyCol], StringComparer.Ordinal)
            .ToList();
        Directory.CreateDirectory(outDir);
        PointsCsv.WriteAll(SweepRunner.PointsPath(outDir), header!, rows);
        var merged = first with { Shard = null };
        merged.Save(outDir);
        io.Out.WriteLine($"merged {summaries.Count} folder(s): {rows.Count} rows ({byKey.Count} distinct keys) into {SweepCommand.Relative(outDir)}");

        SweepSpec? spec = null;
        IDesignEvaluator? evaluator = null;
        if (File.Exists(first.SweepFile))
        {
            try
            {
                spec = SweepParser.Load(first.SweepFile, _backend.Validation);
                evaluator = _backend.Create(spec);
            }
            catch (MantissaException e)
            {
                io.Error.WriteLine($"warning: breakdown and roofline plots skipped ({e.Message.Split('\n')[0]})");
            }
        }
        byKey.Clear();
        rows.Clear();
        string points = SweepRunner.PointsPath(outDir);
        if (SweepCommand.WantsParquet(args)) Report.PointsParquet.Write(Path.Combine(outDir, Report.PointsParquet.FileName), points);
        SweepCommand.WriteArtifacts(outDir, merged, points, spec, evaluator, io, SweepCommand.Figures(args));
        return 0;
    }
}
