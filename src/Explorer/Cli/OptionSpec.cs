namespace Mantissa.Explorer.Cli;

/// <summary>One command-line option: <c>--name VALUE</c>, or a flag when <see cref="ValueName"/> is null.</summary>
public sealed record OptionSpec(string Name, string? ValueName, string Help, bool Repeatable = false)
{
    public bool IsFlag => ValueName is null;
}
