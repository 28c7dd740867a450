using System.Globalization;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands.Pe;
using Mantissa.Sim.Pe;
using Mantissa.Verification;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa verify</c>: runs every PE datapath against the exact-rational reference and prints a table.</summary>
public sealed class VerifyCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "verify",
        "Check the bit-exact PE datapaths against the exact-rational reference.",
        "mantissa verify [--pe KIND] [--exhaustive] [--seed N] [--count N]",
        new[]
        {
            new OptionSpec("--pe", "KIND", "Only this PE kind: " + string.Join(", ", PeFactory.ModelledKinds.Select(PeFactory.KindName)) + "."),
            new OptionSpec("--exhaustive", null, "Also run every operand-code pair (K = 1) for configurations whose operands are 8 bits or less."),
            new OptionSpec("--seed", "N", "Seed of the random dot products (default 1)."),
            new OptionSpec("--count", "N", "Random dot products per configuration, K from 1 to 4096 (default 200)."),
        },
        "Random cases mix uniform codes with the hard ones: maximum magnitudes, exact cancellation, NaN/Inf/NaR operands\n" +
        "and scales, accumulator overflow, and quantization groups cut by the end of K. A case also fails when the\n" +
        "datapath's cycle count differs from the analytical PE cycle model. Exit status 1 on any mismatch.") { MaxPositionals = 0 };

    public int Run(ParsedArgs args, CommandIO io)
    {
        int seed = args.GetInt("--seed", 1);
        int count = args.GetInt("--count", 200);
        if (count < 0) throw new UsageException("--count must be 0 or more");
        var configs = PeConfigurations.All.AsEnumerable();
        if (args.Get("--pe") is { } kindName)
        {
            var kind = DotPeBuilder.Kind(kindName);
            configs = configs.Where(c => c.Kind == kind);
        }
        bool exhaustive = args.Has("--exhaustive");
        var rows = new List<PeCheckResult>();
        var io2 = io.Out;
        io2.WriteLine($"{"PE kind",-14}{"configuration",-52}{"check",-8}{"cases",10}{"mismatches",12}{"time",10}");
        foreach (var c in configs)
        {
            var pe = c.Create();
            if (exhaustive && PeCheckRunner.CanEnumerate(pe)) Print(io2, PeCheckRunner.Exhaustive(c, seed), "pairs", rows);
            if (count > 0) Print(io2, PeCheckRunner.Random(c, seed, count), "random", rows);
        }
        long cases = rows.Sum(r => r.Cases), bad = rows.Sum(r => r.Mismatches);
        var total = TimeSpan.FromTicks(rows.Sum(r => r.Elapsed.Ticks));
        io2.WriteLine($"{rows.Count} checks, {cases} cases, {bad} mismatches, {total.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        foreach (var r in rows.Where(r => r.Mismatches > 0))
            io2.WriteLine($"first mismatch in {r.Kind} '{r.Label}': {r.FirstMismatch}");
        return bad == 0 ? 0 : 1;
    }

    private static void Print(TextWriter w, PeCheckResult r, string check, List<PeCheckResult> rows)
    {
        rows.Add(r);
        string time = r.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
        w.WriteLine($"{r.Kind,-14}{Trim(r.Label, 51),-52}{check,-8}{r.Cases,10}{r.Mismatches,12}{time,10}");
    }

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
