using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;

namespace Mantissa.Explorer;

/// <summary>Every <c>mantissa</c> command, in the order <c>mantissa --help</c> lists them.</summary>
public static class CommandCatalog
{
    /// <summary>
    /// The commands by name, each built on first use: a process builds only the command it runs (a command's spec
    /// can list PE kinds, formats or presets, which costs start-up time); a test checks each name against its spec.
    /// </summary>
    public static IReadOnlyList<CommandEntry> Entries { get; } = new CommandEntry[]
    {
        // one line per command; keep this list sorted by the order users meet them
        new("version", () => new VersionCommand()),
        new("arith", () => new ArithCommand()),
        new("cost", () => new CostCommand()),
        new("calibrate", () => new CalibrateCommand()),
        new("workload", () => new WorkloadCommand()),
        new("sweep", () => new SweepCommand()),
        new("pareto", () => new ParetoCommand()),
        new("merge", () => new MergeCommand()),
        new("report", () => new ReportCommand()),
        new("verify", () => new VerifyCommand()),
        new("dot", () => new DotCommand()),
        new("simulate", () => new SimulateCommand()),
        new("bench", () => new BenchCommand()),
        new("quant", () => new QuantCommand()),
        new("reproduce", () => new ReproduceCommand()),
    };

    /// <summary>Every command, built (for the general help and tests).</summary>
    public static IReadOnlyList<ICommand> All => Entries.Select(e => e.Command).ToList();

    /// <summary>The command named <paramref name="name"/>, built; null when there is none.</summary>
    public static ICommand? Find(string name)
    {
        foreach (var e in Entries)
            if (e.Name == name) return e.Command;
        return null;
    }
}

/// <summary>A command's name and how to build it; <see cref="Command"/> builds it once.</summary>
public sealed class CommandEntry(string name, Func<ICommand> create)
{
    private readonly Lazy<ICommand> _command = new(create);

    /// <summary>The name users type (the built command's <c>Spec.Name</c>).</summary>
    public string Name { get; } = name;

    public ICommand Command => _command.Value;
}
