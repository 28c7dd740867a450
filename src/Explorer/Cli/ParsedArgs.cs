using Mantissa.Arch;
using System.Globalization;

namespace Mantissa.Explorer.Cli;

/// <summary>The parsed command line of one command: positionals and option values, with typed getters.</summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values;

    private ParsedArgs(CommandSpec spec, List<string> positionals, Dictionary<string, List<string>> values)
    {
        Spec = spec;
        Positionals = positionals;
        _values = values;
    }

    public CommandSpec Spec { get; }
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Parses <paramref name="args"/> against <paramref name="spec"/>; unknown options name the nearest valid one.</summary>
    public static ParsedArgs Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        var byName = spec.Options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var positionals = new List<string>();
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") { positionals.AddRange(args.Skip(i + 1)); break; }
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2) { positionals.Add(a); continue; }
            string name = a; string? inline = null;
            int eq = a.IndexOf('=');
            if (eq > 0) { name = a[..eq]; inline = a[(eq + 1)..]; }
            if (!byName.TryGetValue(name, out var opt))
            {
                string? near = NameSuggester.Nearest(name, byName.Keys);
                throw new UsageException($"unknown option '{name}' for 'mantissa {spec.Name}'" + (near is null ? "" : $"; did you mean '{near}'?"));
            }
            string value;
            if (opt.IsFlag)
            {
                if (inline is not null) throw new UsageException($"option {name} takes no value");
                value = "true";
            }
            else if (inline is not null) value = inline;
            else if (i + 1 < args.Count) value = args[++i];
            else throw new UsageException($"option {name} expects a value ({opt.ValueName})");
            if (!values.TryGetValue(name, out var list)) values[name] = list = new List<string>();
            if (list.Count > 0 && !opt.Repeatable) throw new UsageException($"option {name} given more than once");
            list.Add(value);
        }
        if (spec.MaxPositionals is { } max && positionals.Count > max)
            throw new UsageException($"unexpected argument '{positionals[max]}'" + (max == 0 ? $" ('mantissa {spec.Name}' takes options only)" : ""));
        return new ParsedArgs(spec, positionals, values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var l) ? l : Array.Empty<string>();

    public string Require(string name) => Get(name) ?? throw new UsageException($"option {name} is required");

    public int GetInt(string name, int fallback) => Get(name) is { } s ? ParseInt(name, s) : fallback;

    public long GetLong(string name, long fallback)
    {
        if (Get(name) is not { } s) return fallback;
        if (!long.TryParse(s.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"option {name} expects an integer, got '{s}'");
        return NonNegative(name, v);
    }

    public double GetDouble(string name, double fallback)
    {
        if (Get(name) is not { } s) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"option {name} expects a number, got '{s}'");
        return double.IsFinite(v) ? v : throw new UsageException($"option {name} expects a finite number, got '{s}'");
    }

    /// <summary>The value of <paramref name="name"/>, which must be one of <paramref name="choices"/>.</summary>
    public string GetChoice(string name, string fallback, params string[] choices)
    {
        string v = Get(name) ?? fallback;
        if (Array.IndexOf(choices, v) < 0)
            throw new UsageException($"option {name} expects one of {string.Join(", ", choices)}; got '{v}'");
        return v;
    }

    /// <summary>The positional at <paramref name="index"/>, or a usage error naming <paramref name="what"/>.</summary>
    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing {what}");

    private static int ParseInt(string name, string s) =>
        int.TryParse(s.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? (int)NonNegative(name, v) : throw new UsageException($"option {name} expects an integer, got '{s}'");

    /// <summary>Every integer option counts something (sizes, lanes, jobs, iterations, seeds): none is negative.</summary>
    private static long NonNegative(string name, long v) =>
        v >= 0 ? v : throw new UsageException($"option {name} expects a non-negative integer, got {v}");
}
