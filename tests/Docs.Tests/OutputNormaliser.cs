using System.Text.RegularExpressions;

namespace Mantissa.Docs.Tests;

/// <summary>
/// Makes documented and real output comparable by replacing what legitimately differs between runs and machines:
/// wall-clock times, rates, machine facts, version strings, dates and absolute paths. Every rule is listed here and
/// in CONTRIBUTING.md ("Documented output"); a simulated figure (latency, tokens/s, energy) is never normalised.
/// </summary>
public static partial class OutputNormaliser
{
    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    private const string Num = @"\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?";

    /// <summary>(pattern, replacement, example of what it matches) in the order they apply.</summary>
    public static readonly IReadOnlyList<(Regex Pattern, string Replacement, string Example)> Rules =
    [
        // measured rates: sweep progress/done lines, --bench, bench's "/s wall" and "/s cpu"
        (new Regex(Num + @"(?=\s*(?:design points/s|points/s|\(point, workload\) evaluations/s|per job|/s wall|/s cpu))"), "#", "19.8 points/s"),
        // measured durations: "in 0.9 s", "ETA 12 s", "orderings hold (0.4 s)", bench's "5.8 ms wall", "31.9 ms" after "graphs)"
        (new Regex(@"(?<=\bin |\bETA |orderings hold \()" + Num + @" ?(?:s|ms|µs|min|h)\b"), "# s", "in 0.9 s"),
        (new Regex(Num + @" ?(?:s|ms|µs)(?= wall| cpu)"), "# s", "5.8 ms wall"),
        (new Regex(@"(?<=prefill graphs\)\s+)" + Num + @" ?(?:s|ms|µs)"), "# s", "(decode + prefill graphs)  31.9 ms"),
        // bench's layer-mapping spread and the layer that happened to be slowest on this run
        (new Regex(@"(?<=\(p90 |, max )" + Num + @" ?(?:s|ms|µs)"), "# s", "(p90 1.02 ms, max 9.58 ms;"),
        (new Regex(@"(?<=slowest: ).+$"), "<layer>", "slowest: fp16-baseline M=2048 K=4096 N=4096)"),
        // verify's time column (after cases and mismatches) and its summary line
        (new Regex(@"(?<=\s\d+\s+\d+\s+)\d+\.\d+ s$"), "# s", "pairs  65536  0    0.07 s"),
        (new Regex(@"(?<=mismatches, )" + Num + " s$"), "# s", "0 mismatches, 8.3 s"),
        // bench: how many GEMM points fit in its time budget
        (new Regex(@"(?<=\()\d[\d,]*(?= points over)"), "#", "(497 points over 45 designs"),
        // JSON timings
        (new Regex("(?<=\"seconds\": )" + Num), "#", "\"seconds\": 0.0444"),
        // machine and toolchain: default --jobs is the CPU count; versions
        (new Regex(@"\d+(?= jobs? →)"), "#", "grid, 2 jobs →"),
        (new Regex(@"\d+(?= logical CPUs)"), "#", "2 logical CPUs"),
        (new Regex(@"(?<=\.NET )\d+(?:\.\d+)+"), "#", ".NET 10.0.12"),
        (new Regex(@"(?<=\bmantissa )\d+\.\d+\.\d+(?:[-+][\w.]+)?"), "#", "mantissa 1.0.0"),
        // dates and times of day
        (new Regex(@"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"), "<date>", "2026-12-02T03:36:07Z"),
    ];

    /// <summary>What a reader's checkout is called in documented output; the sandbox and repository paths print as this.</summary>
    public const string RootPlaceholder = "~/mantissa";

    /// <summary>Real output as the docs should show it: <paramref name="roots"/> (absolute sandbox and repository paths) replaced by <see cref="RootPlaceholder"/>, line ends trimmed, trailing blank lines dropped.</summary>
    public static List<string> Clean(string output, IEnumerable<string> roots)
    {
        foreach (var root in roots.Where(r => r.Length > 1).OrderByDescending(r => r.Length))
            output = output.Replace(root.TrimEnd('/'), RootPlaceholder, StringComparison.Ordinal);
        var lines = output.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>The comparable form of output lines: every rule applied, and a run of `progress:` lines reduced to its last (how many appear depends on speed).</summary>
    public static List<string> Normalise(IEnumerable<string> lines) => Normalise(lines, out _);

    /// <summary>As <see cref="Normalise(IEnumerable{string})"/>; <paramref name="source"/>[i] is the index of the input line that normalised line i came from.</summary>
    public static List<string> Normalise(IEnumerable<string> lines, out List<int> source)
    {
        var result = new List<string>();
        source = new List<int>();
        int index = 0;
        foreach (var raw in lines)
        {
            string line = raw.TrimEnd();
            foreach (var (pattern, replacement, _) in Rules) line = pattern.Replace(line, replacement);
            // a measured value's width moves the columns after it: compare such a line with single spaces
            if (line != raw.TrimEnd()) line = Spaces().Replace(line, " ");
            if (line.StartsWith("progress: ", StringComparison.Ordinal) && result.Count > 0 && result[^1].StartsWith("progress: ", StringComparison.Ordinal))
            {
                result[^1] = line;
                source[^1] = index;
            }
            else { result.Add(line); source.Add(index); }
            index++;
        }
        while (result.Count > 0 && result[^1].Length == 0) { result.RemoveAt(result.Count - 1); source.RemoveAt(source.Count - 1); }
        return result;
    }
}
