namespace Mantissa.Docs.Tests;

/// <summary>The pieces of the doc-output test: Markdown parsing, shell words, normalisation and elisions.</summary>
public class DocHarnessTests
{
    private static DocScript Parse(string markdown) => MarkdownExamples.Parse("x.md", markdown.Split('\n'));

    [Fact]
    public void A_console_block_gives_each_command_the_lines_up_to_the_next_command()
    {
        var s = Parse("text\n```\n$ mantissa a \\\n   --b 1\nout 1\nout 2\n$ mantissa c\n```\n```yaml\nk: v\n```");
        var c = s.Steps.Cast<DocCommand>().ToList();
        Assert.Equal(2, c.Count);
        Assert.Equal(("mantissa a --b 1", 3, 4), (c[0].Command, c[0].Line, c[0].OutputStart));
        Assert.Equal(new[] { "out 1", "out 2" }, c[0].Output);
        Assert.Equal(("mantissa c", 7, 0), (c[1].Command, c[1].Line, c[1].Output.Count));
        Assert.Empty(s.Problems);
    }

    [Fact]
    public void Markers_skip_with_a_reason_define_files_and_indented_blocks_keep_their_indent()
    {
        var s = Parse("<!-- doc-test: skip needs Ctrl-C -->\n```\n$ mantissa a\n```\n<!-- doc-test: file m.yaml -->\n```yaml\nname: m\n```\n" +
                      "- item\n  ```\n  $ mantissa b\n  line\n  ```\n<!-- doc-test: skip -->\n```\n$ mantissa c\n```");
        var skipped = (DocCommand)s.Steps[0];
        Assert.Equal("needs Ctrl-C", skipped.SkipReason);
        var file = (DocFile)s.Steps[1];
        Assert.Equal(("m.yaml", "name: m\n"), (file.Name, file.Content));
        var indented = (DocCommand)s.Steps[2];
        Assert.Equal((2, "line"), (indented.Indent, indented.Output.Single()));
        Assert.Contains(s.Problems, p => p.Contains("must say why"));
    }

    [Fact]
    public void A_mantissa_command_in_a_tagged_block_is_reported_not_ignored()
    {
        var s = Parse("```bash\n$ mantissa sweep x.yaml\n```");
        Assert.Empty(s.Steps);
        Assert.Contains("```bash block is not checked", Assert.Single(s.Problems));
    }

    [Fact]
    public void The_sandbox_never_writes_into_the_repository_and_knows_its_committed_files()
    {
        using var sandbox = new DocSandbox(DocSandbox.RepoRoot());
        const string committed = "arch-configs/tpu-int8.yaml";
        string before = File.ReadAllText(Path.Combine(DocSandbox.RepoRoot(), committed));
        Assert.Contains("inside the repository's arch-configs/ folder",
            Assert.Throws<InvalidOperationException>(() => sandbox.WriteFile(committed, "x")).Message);
        Assert.Contains("must not overwrite", Assert.Throws<InvalidOperationException>(() => sandbox.WriteFile("README.md", "x")).Message);
        Assert.Equal(before, File.ReadAllText(Path.Combine(DocSandbox.RepoRoot(), committed)));
        Assert.NotNull(sandbox.InRepository(committed));      // `$ cat` of it is checked, not written
        sandbox.WriteFile("mine.yaml", "name: m\n");
        Assert.Null(sandbox.InRepository("mine.yaml"));       // defined by the docs: `$ cat` of it creates it
        Assert.Null(sandbox.InRepository("arch-configs/no-such.yaml"));
    }

    [Fact]
    public void Shell_words_follow_quotes_comments_and_operators()
    {
        var w = ShellWords.Split("mantissa show 'a b*' \"c\\\"d\" e\\ f < in.txt # note");
        Assert.Equal(new[] { "mantissa", "show", "a b*", "c\"d", "e f", "<", "in.txt" }, w.Select(x => x.Text));
        Assert.True(w[5].Operator);
        Assert.False(w[2].Operator);
        Assert.Equal("a\nb 100%\t", ShellWords.Printf("a\\nb 100%%\\t"));
        Assert.Throws<FormatException>(() => ShellWords.Split("mantissa 'open"));
        Assert.Throws<FormatException>(() => ShellWords.Printf("%s"));
    }

    [Fact]
    public void Measured_times_and_rates_are_normalised_and_simulated_figures_are_not()
    {
        var n = OutputNormaliser.Normalise([
            "sweep q: 18 design points × 2 workloads, grid, 2 jobs → results/q",
            "progress: 7/18 points (39%), 3.14 points/s, ETA 3.50 s",
            "progress: 18/18 points (100%), 19.8 points/s, ETA 0 s",
            "done: 18 design points (18 evaluated, 0 reused) in 0.9 s, 19.6 points/s; 36 rows",
            "  latency      148.571 ms",
            "  tokens       6.73 tokens/s, 1.15 tokens/J",
            "mantissa 1.0.0 on .NET 10.0.12, written 2026-12-02T03:36:07Z",
            ""]);
        Assert.Equal(new[]
        {
            "sweep q: 18 design points × 2 workloads, grid, # jobs → results/q",
            "progress: 18/18 points (100%), # points/s, ETA # s",
            "done: 18 design points (18 evaluated, 0 reused) in # s, # points/s; 36 rows",
            "  latency      148.571 ms",
            "  tokens       6.73 tokens/s, 1.15 tokens/J",
            "mantissa # on .NET #, written <date>",
        }, n);
    }

    [Fact]
    public void Timed_columns_compare_whatever_their_width()
    {
        var a = OutputNormaliser.Normalise(["  workload build (decode + prefill graphs)     402.2 ms", "int_mac  int8  pairs  65536  0    0.41 s",
                                            "  layer mapping, median of 315 layers   0.14 ms cpu  (p90 1.02 ms, max 9.58 ms; target <= 2 ms)"]);
        var b = OutputNormaliser.Normalise(["  workload build (decode + prefill graphs)       3.0 ms", "int_mac  int8  pairs  65536  0   12.41 s",
                                            "  layer mapping, median of 315 layers   0.11 ms cpu  (p90 0.86 ms, max 16.92 ms; target <= 2 ms)"]);
        Assert.Equal(a, b);
        Assert.NotEqual(OutputNormaliser.Normalise(["  cycles  23,049"]), OutputNormaliser.Normalise(["  cycles  23,050"]));
    }

    [Fact]
    public void Clean_replaces_the_sandbox_path_and_trims()
    {
        var lines = OutputNormaliser.Clean("error: /tmp/sb1/bad.yaml not found  \n\n", ["/tmp/sb1"]);
        Assert.Equal(new[] { "error: ~/mantissa/bad.yaml not found" }, lines);
    }

    [Fact]
    public void An_elision_matches_any_lines_and_the_runs_around_it_must_match_in_order()
    {
        string[] printed = ["head", "a", "b", "mid", "c", "tail"];
        Assert.Equal(-1, ElidedOutput.FirstMismatch(["head", "...", "mid", "...", "tail"], printed));
        Assert.Equal(-1, ElidedOutput.FirstMismatch(["head", "  ... (4 more lines)"], printed));
        Assert.Equal(-1, ElidedOutput.FirstMismatch(["...", "tail"], printed));
        Assert.Equal(2, ElidedOutput.FirstMismatch(["head", "...", "nope", "...", "tail"], printed));
        Assert.Equal(2, ElidedOutput.FirstMismatch(["head", "...", "c"], printed));   // the last run must end the output
        Assert.Equal(1, ElidedOutput.FirstMismatch(["head", "b"], printed));          // no elision: every line
        Assert.Equal(2, ElidedOutput.FirstMismatch(["head", "a"], printed));          // ... and no line more
    }

    [Fact]
    public void Regeneration_keeps_the_elisions_and_recounts_hidden_lines()
    {
        string[] printed = ["head 2", "x", "y", "mid 2", "z", "tail 2"];
        Assert.Equal(new[] { "head 2", "...", "mid 2", "  ... (1 more line)", "tail 2" },
            ElidedOutput.Regenerate(["head 1", "...", "mid 1", "  ... (9 more lines)", "tail 1"], printed));
        Assert.Null(ElidedOutput.Regenerate(["head", "...", "gone", "...", "tail"], printed));
        Assert.Equal(printed, ElidedOutput.Regenerate(["old"], printed));
    }

    [Fact]
    public void The_sandbox_never_writes_into_the_repository_it_links()
    {
        string repo = Path.Combine(Path.GetTempPath(), "mantissa-docs-repo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(repo, "arch-configs"));
        File.WriteAllText(Path.Combine(repo, "arch-configs", "a.yaml"), "original\n");
        try
        {
            using var sandbox = new DocSandbox(repo);
            Assert.Throws<InvalidOperationException>(() => sandbox.WriteFile("arch-configs/a.yaml", "..."));
            Assert.Throws<InvalidOperationException>(() => sandbox.WriteFile("arch-configs/new.yaml", "x"));
            Assert.Equal("original\n", File.ReadAllText(Path.Combine(repo, "arch-configs", "a.yaml")));
            Assert.False(File.Exists(Path.Combine(repo, "arch-configs", "new.yaml")));
            sandbox.WriteFile("bad.yaml", "x: 1\n");
            Assert.Equal("x: 1\n", File.ReadAllText(Path.Combine(sandbox.Root, "bad.yaml")));
            Assert.False(File.Exists(Path.Combine(repo, "bad.yaml")));
        }
        finally { Directory.Delete(repo, recursive: true); }
    }
}
