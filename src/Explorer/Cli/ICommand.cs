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
    public static CommandIO Console => new(System.Console.In, System.Console.Out, System.Console.Error);
}
