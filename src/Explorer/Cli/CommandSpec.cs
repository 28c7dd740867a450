using System.Text;

namespace Mantissa.Explorer.Cli;

/// <summary>Name, usage line, options and help text of one <c>mantissa</c> command.</summary>
public sealed record CommandSpec(string Name, string Summary, string Usage, IReadOnlyList<OptionSpec> Options, string? Details = null)
{
    /// <summary>Most positional arguments the command takes (null: the command checks them itself); more is a usage error.</summary>
    public int? MaxPositionals { get; init; }

    public string HelpText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"mantissa {Name}: {Summary}");
        sb.AppendLine();
        sb.AppendLine("Usage:");
        foreach (var line in Usage.Split('\n')) sb.AppendLine("  " + line.TrimEnd());
        if (Options.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Options:");
            var all = Options.Append(new OptionSpec("--help", null, "Show this help and exit.")).ToList();
            int width = all.Max(o => Left(o).Length) + 2;
            foreach (var o in all) sb.AppendLine("  " + Left(o).PadRight(width) + o.Help);
        }
        if (!string.IsNullOrWhiteSpace(Details))
        {
            sb.AppendLine();
            sb.AppendLine(Details.TrimEnd());
        }
        return sb.ToString();
    }

    private static string Left(OptionSpec o) => o.IsFlag ? o.Name : $"{o.Name} {o.ValueName}";
}
