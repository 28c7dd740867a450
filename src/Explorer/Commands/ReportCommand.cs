using Mantissa.Arch;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa report</c>: rebuilds the frontier, plots and report of a finished (or <c>--no-report</c>) results folder.</summary>
public sealed class ReportCommand : ICommand
{
    private readonly EvaluatorBackend _backend;

    public ReportCommand() : this(EvaluatorBackend.Default) { }

    public ReportCommand(EvaluatorBackend backend) => _backend = backend;

    public CommandSpec Spec { get; } = new("report", "Rebuild a results folder's Pareto front, plots and report from its points.csv.",
        "mantissa report DIR [--format png,svg,parquet] [--size column|page|WxH]",
        new[]
        {
            new OptionSpec("--format", "LIST", "Files to write: png and svg figures (default png,svg), parquet (points.parquet)."),
            new OptionSpec("--size", "SIZE", "Figure size: column (default), page or WxH in inches."),
        },
        "Writes what 'mantissa sweep' writes after its last point (pareto.csv, plots/, index.html) from DIR/points.csv and\n" +
        "DIR/sweep.json, for example after 'sweep --no-report'. It reads points.csv in one pass keeping only the columns\n" +
        "the front and plots need (about 50 bytes per row), so a million-row sweep reports in well under 400 MB.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        string dir = args.Positional(0, "the results folder (holding points.csv and sweep.json)");
        if (args.Positionals.Count > 1) throw new UsageException($"unexpected argument '{args.Positionals[1]}'");
        var summary = SweepSummary.Load(dir);
        string points = SweepRunner.PointsPath(dir);
        if (!File.Exists(points)) throw new MantissaException($"{dir}: no points.csv (run 'mantissa sweep' first)");
        SweepSpec? spec = null;
        IDesignEvaluator? evaluator = null;
        if (File.Exists(summary.SweepFile))
        {
            try
            {
                spec = SweepParser.Load(summary.SweepFile, _backend.Validation);
                evaluator = _backend.Create(spec);
            }
            catch (MantissaException e)
            {
                io.Error.WriteLine($"warning: breakdown and roofline plots skipped ({e.Message.Split('\n')[0]})");
            }
        }
        if (SweepCommand.WantsParquet(args)) Report.PointsParquet.Write(Path.Combine(dir, Report.PointsParquet.FileName), points);
        SweepCommand.WriteArtifacts(Path.GetFullPath(dir), summary, points, spec, evaluator, io, SweepCommand.Figures(args));
        return 0;
    }
}
