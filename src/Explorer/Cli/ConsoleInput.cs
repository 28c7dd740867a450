namespace Mantissa.Explorer.Cli;

/// <summary>
/// Standard input, opened on the first read: most commands never read it, and <see cref="Console.In"/> sets up a
/// reader (and, on a terminal, the terminal) that a one-shot <c>simulate</c> or <c>sweep</c> would pay for at start-up.
/// </summary>
public sealed class ConsoleInput : TextReader
{
    public static readonly ConsoleInput Instance = new();

    private ConsoleInput() { }

    public override int Peek() => Console.In.Peek();

    public override int Read() => Console.In.Read();

    public override int Read(char[] buffer, int index, int count) => Console.In.Read(buffer, index, count);

    public override int Read(Span<char> buffer) => Console.In.Read(buffer);

    public override string? ReadLine() => Console.In.ReadLine();

    public override string ReadToEnd() => Console.In.ReadToEnd();
}
