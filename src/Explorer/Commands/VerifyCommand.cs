using System.Globalization;
using System.Text;
using System.Text.Json;
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
        "mantissa verify [--pe KIND] [--exhaustive] [--seed N] [--count N] [--json]",
        new[]
        {
            new OptionSpec("--pe", "KIND", "Only this PE kind: " + string.Join(", ", PeFactory.ModelledKinds.Select(k => k.Name)) + "."),
            new OptionSpec("--exhaustive", null, "Also run every operand-code pair (K = 1) for configurations whose operands are 8 bits or less."),
            new OptionSpec("--seed", "N", "Seed of the random dot products (default 1)."),
            new OptionSpec("--count", "N", "Random dot products per configuration, K from 1 to 4096 (default 200)."),
            new OptionSpec("--json", null, "Print one JSON object (totals and one entry per check) instead of the table."),
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
        var rows = new List<(string Check, PeCheckResult Result)>();
        bool json = args.Has("--json");
        var io2 = json ? TextWriter.Null : io.Out;
        io2.WriteLine($"{"PE kind",-14}{"configuration",-52}{"check",-8}{"cases",10}{"mismatches",12}{"time",10}");
        foreach (var c in configs)
        {
            var pe = c.Create();
            if (exhaustive && PeCheckRunner.CanEnumerate(pe)) Print(io2, PeCheckRunner.Exhaustive(c, seed), "pairs", rows);
            if (count > 0) Print(io2, PeCheckRunner.Random(c, seed, count), "random", rows);
        }
        long cases = rows.Sum(r => r.Result.Cases), bad = rows.Sum(r => r.Result.Mismatches);
        var total = TimeSpan.FromTicks(rows.Sum(r => r.Result.Elapsed.Ticks));
        io2.WriteLine($"{rows.Count} checks, {cases} cases, {bad} mismatches, {total.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        foreach (var (_, r) in rows.Where(r => r.Result.Mismatches > 0))
            io2.WriteLine($"first mismatch in {r.Kind} '{r.Label}': {r.FirstMismatch}");
        if (json) io.Out.Write(Json(rows, seed, count, exhaustive));
        return bad == 0 ? 0 : 1;
    }

    private static string Json(IReadOnlyList<(string Check, PeCheckResult Result)> rows, int seed, int count, bool exhaustive)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber(OutputSchema.Key, OutputSchema.Version);
            w.WriteNumber("seed", seed);
            w.WriteNumber("count", count);
            w.WriteBoolean("exhaustive", exhaustive);
            w.WriteNumber("checks", rows.Count);
            w.WriteNumber("cases", rows.Sum(r => r.Result.Cases));
            w.WriteNumber("mismatches", rows.Sum(r => r.Result.Mismatches));
            w.WriteNumber("seconds", rows.Sum(r => r.Result.Elapsed.TotalSeconds));
            w.WriteStartArray("results");
            foreach (var (check, r) in rows)
            {
                w.WriteStartObject();
                w.WriteString("pe", r.Kind);
                w.WriteString("configuration", r.Label);
                w.WriteString("check", check);
                w.WriteNumber("cases", r.Cases);
                w.WriteNumber("mismatches", r.Mismatches);
                w.WriteNumber("seconds", r.Elapsed.TotalSeconds);
                if (r.FirstMismatch is { } m) w.WriteString("first_mismatch", m); else w.WriteNull("first_mismatch");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void Print(TextWriter w, PeCheckResult r, string check, List<(string Check, PeCheckResult Result)> rows)
    {
        rows.Add((check, r));
        string time = r.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
        w.WriteLine($"{r.Kind,-14}{Trim(r.Label, 51),-52}{check,-8}{r.Cases,10}{r.Mismatches,12}{time,10}");
    }

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
