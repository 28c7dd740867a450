using Mantissa.Explorer;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Tests;

public class CliTests
{
    internal static (int code, string stdout, string stderr) Run(params string[] args) => RunWithInput("", args);

    internal static (int code, string stdout, string stderr) RunWithInput(string stdin, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = MantissaCli.Run(args, new CommandIO(new StringReader(stdin), o, e));
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void UnknownCommandSuggestsTheNearest()
    {
        var (code, _, err) = Run("versoin");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'version'", err);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var c in CommandCatalog.All)
        {
            var (code, output, _) = Run(c.Spec.Name, "--help");
            Assert.Equal(0, code);
            Assert.StartsWith($"mantissa {c.Spec.Name}:", output);
        }
    }

    [Fact]
    public void EveryRepeatableOptionAppearsInItsCommandsUsage()
    {
        // a usage line that lists some options must not leave out a repeatable one (bench once omitted --set)
        foreach (var c in CommandCatalog.All)
            foreach (var o in c.Spec.Options.Where(o => o.Repeatable))
                if (c.Spec.Usage.Contains("[--", StringComparison.Ordinal))
                    Assert.True(c.Spec.Usage.Contains(o.Name, StringComparison.Ordinal), $"{c.Spec.Name}: usage omits {o.Name}");
    }

    [Fact]
    public void UnknownOptionSuggestsTheNearest()
    {
        var spec = new CommandSpec("x", "test", "x", new[] { new OptionSpec("--seed", "N", "seed") });
        var e = Assert.Throws<UsageException>(() => ParsedArgs.Parse(spec, new[] { "--sede", "3" }));
        Assert.Contains("did you mean '--seed'", e.Message);
    }
}
