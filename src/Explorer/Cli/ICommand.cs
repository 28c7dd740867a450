namespace Mantissa.Explorer.Cli;

/// <summary>One <c>mantissa</c> sub-command. Write to <paramref name="io"/>, return the exit code.</summary>
public interface ICommand
{
    CommandSpec Spec { get; }
    int Run(ParsedArgs args, CommandIO io);
}

/// <summary>The standard streams a command uses (replaceable in tests).</summary>
public sealed record CommandIO(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>The process's streams; standard input is opened only by a command that reads it (<see cref="ConsoleInput"/>).</summary>
    public static CommandIO Console => new(ConsoleInput.Instance, System.Console.Out, System.Console.Error);
}
