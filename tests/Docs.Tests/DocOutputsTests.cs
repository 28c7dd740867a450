using System.Text;
using Xunit.Abstractions;

namespace Mantissa.Docs.Tests;

/// <summary>
/// Every `$ mantissa ...` transcript in README.md and docs/*.md is run and compared with the output the document
/// shows, after <see cref="OutputNormaliser"/>. With MANTISSA_UPDATE_DOCS=1 the documents are rewritten from the real
/// output instead (only transcripts that differ after normalisation are touched). Convention: CONTRIBUTING.md.
/// </summary>
public class DocOutputsTests(ITestOutputHelper log)
{
    private const string Regenerate = "MANTISSA_UPDATE_DOCS=1 dotnet test tests/Docs.Tests --filter DocOutputs";

    public static TheoryData<string> Documents()
    {
        string root = DocSandbox.RepoRoot();
        var data = new TheoryData<string> { "README.md" };
        foreach (var f in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
            data.Add("docs/" + Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void DocOutputsMatchRealOutput(string document)
    {
        string root = DocSandbox.RepoRoot();
        string path = Path.Combine(root, document);
        string text = File.ReadAllText(path);
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var script = MarkdownExamples.Parse(document, lines);
        var problems = new List<string>(script.Problems);
        var skipped = new List<DocCommand>();
        var runs = DocRunner.Run(script, root, problems, skipped);
        foreach (var s in skipped) log.WriteLine($"{s.File}:{s.Line}: skipped ({s.SkipReason}): {s.Command}");

        bool update = Environment.GetEnvironmentVariable("MANTISSA_UPDATE_DOCS") == "1";
        var report = new StringBuilder();
        var replacements = new List<DocRun>();
        foreach (var run in runs)
        {
            var expected = OutputNormaliser.Normalise(run.Command.Output, out var expectedSource);
            var actual = OutputNormaliser.Normalise(run.Actual, out var actualSource);
            int mismatch = ElidedOutput.FirstMismatch(expected, actual);
            if (mismatch < 0) continue;
            replacements.Add(run);
            report.Append(Describe(run, mismatch, expected, expectedSource, actual, actualSource));
        }

        if (update && replacements.Count > 0)
        {
            foreach (var run in replacements.OrderByDescending(r => r.Command.OutputStart))
            {
                var regenerated = ElidedOutput.Regenerate(run.Command.Output, run.Actual);
                if (regenerated is null)
                {
                    problems.Add($"{run.Command.File}:{run.Command.Line}: the output changed around a '...' elision that cannot be placed again; edit the elided lines by hand from the real output");
                    continue;
                }
                lines.RemoveRange(run.Command.OutputStart, run.Command.Output.Count);
                string indent = new(' ', run.Command.Indent);
                lines.InsertRange(run.Command.OutputStart, regenerated.Select(l => l.Length == 0 ? l : indent + l));
            }
            File.WriteAllText(path, string.Join('\n', lines));
            log.WriteLine($"{document}: rewrote the output of {replacements.Count} command(s) from real runs:\n{report}");
        }
        log.WriteLine($"{document}: {runs.Count} command(s) run, {skipped.Count} skipped, {replacements.Count} differ" + (update ? " (rewritten)" : ""));

        if (problems.Count > 0)
            Assert.Fail($"{document}: {problems.Count} transcript(s) cannot be checked:\n  " + string.Join("\n  ", problems));
        if (!update && replacements.Count > 0)
            Assert.Fail($"{replacements.Count} documented output(s) in {document} differ from what the command prints now.\n{report}" +
                        $"Regenerate from real output with:\n  {Regenerate}\nthen review `git diff {document}`.");
    }

    private static string Describe(DocRun run, int i, List<string> expected, List<int> expectedSource, List<string> actual, List<int> actualSource)
    {
        var c = run.Command;
        int docLine = c.OutputStart + 1 + (i < expected.Count ? expectedSource[i] : c.Output.Count);
        string documented = i < expected.Count ? c.Output[expectedSource[i]] : "(end of the documented output)";
        // the printed line at the same place: counted from the end after the last elision
        int lastElision = expected.FindLastIndex(ElidedOutput.IsEllipsis);
        int j = lastElision >= 0 && i > lastElision ? actual.Count - (expected.Count - i) : i;
        string real = j >= 0 && j < actual.Count ? run.Actual[actualSource[j]] : "(end of the output)";
        return $"{c.File}:{c.Line}: $ {c.Command}\n" +
               $"  first difference at {c.File}:{docLine} (documented {c.Output.Count} line(s), printed {run.Actual.Count}):\n" +
               $"    documented: {documented}\n" +
               $"    printed:    {real}\n";
    }
}
