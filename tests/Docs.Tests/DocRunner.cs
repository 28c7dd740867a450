using Mantissa.Explorer;
using Mantissa.Explorer.Cli;

namespace Mantissa.Docs.Tests;

/// <summary>The real output of one documented command (cleaned, not yet normalised).</summary>
public sealed record DocRun(DocCommand Command, IReadOnlyList<string> Actual);

/// <summary>Runs a document's commands in order in one sandbox, in-process through the CLI entry point (stdout and stderr interleaved, as a terminal shows them).</summary>
public static class DocRunner
{
    /// <summary>Runs every step of <paramref name="script"/>; what cannot be run is added to <paramref name="problems"/>, skipped commands to <paramref name="skipped"/>.</summary>
    public static List<DocRun> Run(DocScript script, string repoRoot, List<string> problems, List<DocCommand> skipped)
    {
        var runs = new List<DocRun>();
        using var sandbox = new DocSandbox(repoRoot);
        string[] roots = [sandbox.Root, repoRoot, ResolvedRoot(repoRoot)];
        string saved = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = sandbox.Root;
            foreach (var step in script.Steps)
            {
                if (step is DocFile f)
                {
                    try { sandbox.WriteFile(f.Name, f.Content); }
                    catch (InvalidOperationException e) { problems.Add($"{f.File}:{f.Line}: {e.Message}"); }
                    continue;
                }
                var c = (DocCommand)step;
                if (c.SkipReason is not null) { skipped.Add(c); continue; }
                List<ShellWord> words;
                try { words = ShellWords.Split(c.Command); }
                catch (FormatException e) { problems.Add($"{c.File}:{c.Line}: {e.Message}"); continue; }
                if (words.Count == 0) continue;

                if (words[0].Text == "cat" && words.Count == 2 && !words[1].Operator)
                {
                    // `$ cat NAME` shows a file the following commands read: create it from the shown text,
                    // unless it is a repository file (shown, possibly elided, and read as it is)
                    if (sandbox.InsideRepository(Path.GetFullPath(Path.Combine(sandbox.Root, words[1].Text)))) continue;
                    try { sandbox.WriteFile(words[1].Text, string.Join('\n', c.Output) + "\n"); }
                    catch (InvalidOperationException e) { problems.Add($"{c.File}:{c.Line}: {e.Message}"); }
                    continue;
                }
                if (!TryInvocation(words, sandbox.Root, out var args, out var stdin, out var why))
                {
                    if (words.Any(w => w.Text == "mantissa"))
                        problems.Add($"{c.File}:{c.Line}: cannot run '{c.Command}': {why}. Write it as '$ mantissa ARGS [< FILE]' or " +
                                     "'$ printf \"...\" | mantissa ARGS', or mark the block <!-- doc-test: skip REASON -->");
                    continue; // ls, cmp, bash ...: shown for the reader, not checked
                }
                if (args.FirstOrDefault(a => a.StartsWith('/')) is { } absolute)
                {
                    // output written outside the sandbox outlives the run and differs between machines (a stale /tmp folder)
                    problems.Add($"{c.File}:{c.Line}: '{absolute}' is an absolute path; documented commands use paths relative to the repository (results/...)");
                    continue;
                }
                runs.Add(new DocRun(c, OutputNormaliser.Clean(Invoke(args, stdin), roots)));
            }
        }
        finally { Environment.CurrentDirectory = saved; }
        return runs;
    }

    private static string ResolvedRoot(string root) =>
        new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;

    private static string Invoke(string[] args, string stdin)
    {
        var output = new StringWriter();
        try
        {
            int code = MantissaCli.Run(args, new CommandIO(new StringReader(stdin), output, output));
            _ = code; // the docs show what is printed; exit codes are tested by the command tests
        }
        catch (Exception e)
        {
            output.WriteLine($"unhandled {e.GetType().Name}: {e.Message}");
        }
        return output.ToString();
    }

    /// <summary>Recognises `mantissa ARGS`, `mantissa ARGS &lt; FILE` and `printf FORMAT | mantissa ARGS`.</summary>
    private static bool TryInvocation(List<ShellWord> words, string root, out string[] args, out string stdin, out string why)
    {
        args = []; stdin = ""; why = "";
        int start = 0;
        if (words[0].Text == "printf")
        {
            int pipe = words.FindIndex(w => w.Operator);
            var fmt = words.Take(pipe < 0 ? words.Count : pipe).Skip(1).Where(w => w.Text != "--").ToList();
            if (pipe < 0 || words[pipe].Text != "|" || fmt.Count != 1) { why = "only 'printf FORMAT | mantissa ...' is supported"; return false; }
            try { stdin = ShellWords.Printf(fmt[0].Text); }
            catch (FormatException e) { why = e.Message; return false; }
            start = pipe + 1;
        }
        if (start >= words.Count || words[start].Text != "mantissa" || words[start].Operator) { why = "not a mantissa command"; return false; }
        var rest = words.Skip(start + 1).ToList();
        int op = rest.FindIndex(w => w.Operator);
        if (op >= 0)
        {
            if (rest[op].Text != "<" || op + 2 != rest.Count || start > 0) { why = $"the shell operator '{rest[op].Text}' is not supported"; return false; }
            string file = Path.Combine(root, rest[op + 1].Text);
            if (!File.Exists(file)) { why = $"input file '{rest[op + 1].Text}' is not defined earlier in the document"; return false; }
            stdin = File.ReadAllText(file);
            rest = rest.Take(op).ToList();
        }
        args = rest.Select(w => w.Text).ToArray();
        return true;
    }
}
