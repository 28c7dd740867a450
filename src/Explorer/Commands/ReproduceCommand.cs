using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Reproduce;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa reproduce</c>: reruns the low-precision papers' headline comparisons, paper vs model.</summary>
public sealed class ReproduceCommand : ICommand
{
    public CommandSpec Spec { get; } = new("reproduce",
        "Rerun published headline comparisons (BitMoD, MixPE, ...) and print paper vs model, figure by figure.",
        "mantissa reproduce NAME [NAME...] [--json] [--out DIR]\nmantissa reproduce --all [--json] [--out DIR]\nmantissa reproduce --list",
        new[]
        {
            new OptionSpec("--all", null, "Run every experiment under arch-configs/reproductions/."),
            new OptionSpec("--list", null, "List the experiments and exit."),
            new OptionSpec("--json", null, "Print JSON instead of the text tables."),
            new OptionSpec("--out", "DIR", "Write one CSV and one paper-vs-model bar chart (PNG and SVG) per experiment to DIR (default results/reproduce)."),
        },
        "NAME is a folder under arch-configs/reproductions/ (or a path to an experiment.yaml). A figure is 'ok' when the\n" +
        "model lands within its band of the paper (±20 % unless the file says otherwise), 'MISS' beyond it, 'input' when\n" +
        "the files set it (not reproduced) and 'not modelled' when Mantissa cannot express it yet. Exit status 1 when a\n" +
        "figure misses or an ordering fails without the file's known_miss / known_fail explanation.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        // A path to an experiment works anywhere; names, --list and --all need the repository's reproductions folder.
        string Root() => ExperimentCatalog.Root();
        if (args.Has("--list"))
        {
            string root = Root();
            foreach (var n in ExperimentCatalog.Names(root))
            {
                var s = ExperimentParser.Load(Path.Combine(root, n, ExperimentCatalog.FileName));
                io.Out.WriteLine($"{n,-16} {s.Figures.Count,2} figures, {s.Orderings.Count} orderings  {s.Title}");
            }
            return 0;
        }
        var names = args.Has("--all") ? ExperimentCatalog.Names(Root()).ToList() : args.Positionals.ToList();
        if (names.Count == 0) throw new UsageException("name an experiment (see --list) or give --all");
        if (args.Has("--all") && args.Positionals.Count > 0) throw new UsageException("give experiment names or --all, not both");
        var specs = names.Select(n => ExperimentParser.Load(File.Exists(n) || Directory.Exists(n) ? ExperimentCatalog.PathOf("", n) : ExperimentCatalog.PathOf(Root(), n))).ToList();

        string outDir = args.Get("--out") ?? Path.Combine("results", "reproduce");
        Directory.CreateDirectory(outDir);
        var results = new List<ExperimentResult>();
        foreach (var s in specs)
        {
            var r = new ExperimentRunner(s).Run();
            results.Add(r);
            File.WriteAllText(Path.Combine(outDir, s.Name + ".csv"), ReproduceReport.Csv(r));
            ReproducePlot.Build(r, FigureSize.Page).Save(Path.Combine(outDir, s.Name), ImageFormats.Png | ImageFormats.Svg);
            if (!args.Has("--json"))
            {
                ReproduceReport.WriteText(io.Out, r);
                io.Out.WriteLine();
            }
        }
        if (args.Has("--json")) io.Out.Write(ReproduceReport.Json(results));
        else io.Out.WriteLine($"wrote {string.Join(", ", results.Select(r => r.Spec.Name + ".csv"))} and the .png/.svg charts to {outDir}");
        bool unexplained = results.Any(r => r.Figures.Any(f => f.Verdict == FigureVerdict.Miss && f.Spec.KnownMiss is null)
                                            || r.Orderings.Any(o => !o.Holds && o.Spec.KnownFail is null));
        return unexplained ? 1 : 0;
    }
}
