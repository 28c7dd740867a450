using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Mantissa.Robustness.Tests;

/// <summary>
/// Issue 14's robustness suite: every case of the generated corpus runs as its own mantissa process with a time
/// and heap limit, is classified, and the suite fails on any crash, hang, internal error or silent success.
/// </summary>
public sealed class RobustnessSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryMalformedInputEndsInACleanErrorOrItsExpectedResult()
    {
        string dir = Directory.CreateTempSubdirectory("mantissa-robustness-").FullName;
        try
        {
            var cases = Corpus.Build(dir);
            Assert.True(cases.Count >= 300, $"the corpus has {cases.Count} cases; the issue asks for at least 300");
            var results = new ConcurrentBag<(Case Case, Outcome Got, RunResult Run)>();
            var clock = Stopwatch.StartNew();
            Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, 2 * Environment.ProcessorCount) }, c =>
            {
                var run = MantissaProcess.Run(c.Args, c.Stdin, dir);
                results.Add((c, OutcomeClassifier.Classify(run, c.Expected), run));
            });
            clock.Stop();

            var report = new StringBuilder();
            report.AppendLine($"robustness corpus: {cases.Count} cases in {clock.Elapsed.TotalSeconds:F0} s " +
                              $"(each a process, {MantissaProcess.TimeLimit.TotalSeconds:F0} s and {MantissaProcess.HeapLimitBytes >> 20} MiB heap limit)");
            foreach (var g in results.GroupBy(r => r.Got).OrderBy(g => g.Key))
                report.AppendLine($"  {g.Key,-14} {g.Count(),4}");
            report.AppendLine("by kind:");
            foreach (var g in results.GroupBy(r => r.Case.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
                report.AppendLine($"  {g.Key,-14} {g.Count(),4}  ({string.Join(", ", g.GroupBy(x => x.Got).Select(x => $"{x.Key} {x.Count()}"))})");
            var wrong = results.Where(r => r.Got != r.Case.Expected).OrderBy(r => r.Case.Kind).ThenBy(r => r.Case.Name).ToList();
            foreach (var (c, got, run) in wrong)
                report.AppendLine($"UNEXPECTED {got} (expected {c.Expected}) exit {run.ExitCode?.ToString() ?? "none"}: {c}\n    " +
                                  Excerpt(run.Stderr.Length > 0 ? run.Stderr : run.Stdout));
            output.WriteLine(report.ToString());
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "robustness-summary.txt"), report.ToString());
            Assert.True(wrong.Count == 0, report.ToString());
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Excerpt(string s)
    {
        s = s.Replace("\n", " | ");
        return s.Length > 300 ? s[..300] + "…" : s;
    }
}
