using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa version</c>: prints the version and runtime.</summary>
public sealed class VersionCommand : ICommand
{
    public CommandSpec Spec { get; } = new("version", "Print the Mantissa version and the .NET runtime.", "mantissa version", Array.Empty<OptionSpec>()) { MaxPositionals = 0 };

    public int Run(ParsedArgs args, CommandIO io)
    {
        var v = typeof(VersionCommand).Assembly.GetName().Version;
        io.Out.WriteLine($"mantissa {v?.ToString(3)} on .NET {Environment.Version}");
        return 0;
    }
}
