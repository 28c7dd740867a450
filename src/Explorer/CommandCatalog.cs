using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;

namespace Mantissa.Explorer;

/// <summary>Every <c>mantissa</c> command, in the order <c>mantissa --help</c> lists them.</summary>
public static class CommandCatalog
{
    public static IReadOnlyList<ICommand> All { get; } = new ICommand[]
    {
        // one line per command; keep this list sorted by the order users meet them
        new VersionCommand(),
        new ArithCommand(),
        new CostCommand(),
        new CalibrateCommand(),
        new WorkloadCommand(),
        new SweepCommand(),
        new ParetoCommand(),
        new MergeCommand(),
        new ReportCommand(),
        new VerifyCommand(),
        new DotCommand(),
        new SimulateCommand(),
        new BenchCommand(),
        new QuantCommand(),
        new ReproduceCommand(),
    };
}
