using System.Globalization;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Config;

/// <summary>Typed, validating access to one mapping of the file; every problem goes to the diagnostic bag.</summary>
internal sealed class SectionReader
{
    private readonly DiagnosticBag _bag;
    private readonly Origin _missingAt;

    /// <summary>Wraps <paramref name="map"/> at <paramref name="path"/> and reports keys the schema does not know.</summary>
    /// <remarks>Missing keys are reported at <paramref name="missingAt"/> (the parent key) when given, else at the mapping.</remarks>
    public SectionReader(ConfigMap map, string path, SchemaMap schema, DiagnosticBag bag, Origin? missingAt = null)
    {
        Map = map;
        _missingAt = missingAt ?? map.Origin;
        Path = path;
        _bag = bag;
        foreach (var e in map.Entries)
            if (schema.Get(e.Key) is null)
                bag.Add(e.KeyOrigin, KeyPath(e.Key), $"unknown key '{MessageText.Clip(e.Key)}'{NameSuggester.Hint(e.Key, schema.Names)}" +
                                                     $" (valid keys here: {string.Join(", ", schema.Names)})", DiagnosticKind.UnknownKey);
    }

    public ConfigMap Map { get; }
    public string Path { get; }
    public DiagnosticBag Bag => _bag;

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>The entry for <paramref name="key"/> unless absent or null.</summary>
    public ConfigEntry? Entry(string key) => Map.Find(key) is { } e && e.Value is not ConfigScalar { IsNull: true } ? e : null;

    public bool Has(string key) => Entry(key) is not null;

    public void Missing(string key, string expected) =>
        _bag.Add(_missingAt, KeyPath(key), $"missing required key '{key}' (expected {expected})");

    /// <summary>Reports a problem with the value of <paramref name="key"/>, at the value's position.</summary>
    public void ValueError(string key, string message) => _bag.Add(Entry(key)?.Value.Origin ?? Map.Origin, KeyPath(key), message);

    /// <summary>Reports a problem with the key itself (e.g. it does not apply), at the key's position.</summary>
    public void KeyError(string key, string message) => _bag.Add(Map.Find(key)?.KeyOrigin ?? Map.Origin, KeyPath(key), message);

    private ConfigScalar? Scalar(string key, bool required, string expected)
    {
        var s = Scalar(key, required, out bool report);
        if (report) ReportScalar(key, expected);
        return s;
    }

    // The scalar at key, or null; report says the caller must report it (missing though required, or not a scalar) with
    // ReportScalar and what it expected, spelled only then: no closure or delegate per read (a sweep binds a design per point).
    private ConfigScalar? Scalar(string key, bool required, out bool report)
    {
        var e = Entry(key);
        report = e is null ? required : e.Value is not ConfigScalar;
        return e?.Value as ConfigScalar;
    }

    private void ReportScalar(string key, string expected)
    {
        var e = Entry(key);
        if (e is null) Missing(key, expected);
        else ValueError(key, $"expected {expected}, got {e.Value.KindName}");
    }

    private static string Shown(ConfigScalar s) => s.Quoted ? $"the quoted string \"{MessageText.Clip(s.Text)}\"" : $"'{MessageText.Clip(s.Text)}'";

    public string? Text(string key, bool required, string expected = "a string")
    {
        var s = Scalar(key, required, expected);
        if (s is null) return null;
        if (s.Text.Trim().Length == 0) { ValueError(key, $"expected {expected}, got an empty string"); return null; }
        return s.Text;
    }

    public long? Integer(string key, bool required, long min, long max = long.MaxValue)
    {
        // the expectation is spelled out only for a message: a sweep binds a design per point
        string Expected() => max == long.MaxValue ? $"an integer ≥ {min}" : $"an integer {min}..{max}";
        var s = Scalar(key, required, out bool report);
        if (report) ReportScalar(key, Expected());
        if (s is null) return null;
        if (s.Quoted || !long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            ValueError(key, $"expected {Expected()}, got {Shown(s)}");
            return null;
        }
        if (v < min || v > max) { ValueError(key, $"expected {Expected()}, got {v}"); return null; }
        return v;
    }

    /// <summary>A finite number strictly above <paramref name="exclusiveMin"/> (or ≥ it when <paramref name="allowEqual"/>).</summary>
    public double? Number(string key, bool required, double exclusiveMin, double max = double.MaxValue, bool allowEqual = false, string? unit = null)
    {
        string Expected()
        {
            var bound = allowEqual ? $"≥ {Fmt(exclusiveMin)}" : $"> {Fmt(exclusiveMin)}";
            var expected = max == double.MaxValue ? $"a number {bound}" : $"a number {bound} and ≤ {Fmt(max)}";
            return unit is null ? expected : expected + " " + unit;
        }
        var s = Scalar(key, required, out bool report);
        if (report) ReportScalar(key, Expected());
        if (s is null) return null;
        if (s.Quoted || !TryNumber(s.Text, out var v))
        {
            ValueError(key, $"expected {Expected()}, got {Shown(s)}");
            return null;
        }
        bool low = allowEqual ? v < exclusiveMin : v <= exclusiveMin;
        if (low || v > max) { ValueError(key, $"expected {Expected()}, got {Fmt(v)}"); return null; }
        return v;
    }

    public bool? Bool(string key)
    {
        var s = Scalar(key, false, "true or false");
        if (s is null) return null;
        if (!s.Quoted && s.Text is "true" or "True" or "TRUE") return true;
        if (!s.Quoted && s.Text is "false" or "False" or "FALSE") return false;
        ValueError(key, $"expected true or false, got {Shown(s)}");
        return null;
    }

    /// <summary>One of a fixed set of names; a near miss gets a suggestion.</summary>
    /// <remarks>An array and loops, not LINQ over an IReadOnlyList of tuples: those, instantiated once per enum type, are
    /// JIT-compiled at every start-up (ReadyToRun cannot precompile them across assemblies).</remarks>
    public T? Choice<T>(string key, bool required, (string Name, T Value)[] options) where T : struct
    {
        int i = ChoiceIndex(key, required, options, static (o, k) => o[k].Name, options.Length);
        return i >= 0 ? options[i].Value : null;
    }

    /// <summary>The index of the option named <paramref name="text"/>, or -1.</summary>
    public static int OptionIndex<T>((string Name, T Value)[] options, string? text)
    {
        for (int i = 0; i < options.Length; i++)
            if (options[i].Name == text) return i;
        return -1;
    }

    /// <summary>The names of <paramref name="options"/>, in order (for a message).</summary>
    public static List<string> OptionNames<T>((string Name, T Value)[] options)
    {
        var names = new List<string>(options.Length);
        for (int i = 0; i < options.Length; i++) names.Add(options[i].Name);
        return names;
    }

    /// <summary>One of a fixed set of names, returned as its canonical spelling.</summary>
    public string? Name(string key, bool required, IReadOnlyList<string> names)
    {
        int i = ChoiceIndex(key, required, names, static (n, k) => n[k], names.Count);
        return i >= 0 ? names[i] : null;
    }

    // The index of the option the value names, or -1 (reported). The option list is only spelled out for a message: a sweep
    // binds a design per point.
    // (The names are read through a static function of the options, not a lambda over them: that allocated a closure and a
    // delegate on every read.)
    private int ChoiceIndex<TOptions>(string key, bool required, TOptions options, Func<TOptions, int, string> nameOf, int count)
    {
        string Expected() => "one of " + string.Join(", ", Names(options, nameOf, count));
        var e = Entry(key);
        if (e is null)
        {
            if (required) Missing(key, Expected());
            return -1;
        }
        if (e.Value is not ConfigScalar s)
        {
            ValueError(key, $"expected {Expected()}, got {e.Value.KindName}");
            return -1;
        }
        var written = s.Text.AsSpan().Trim();
        if (System.Text.Ascii.IsValid(written) && !written.ContainsAnyInRange('A', 'Z')) // already lower case: no copy
        {
            for (int k = 0; k < count; k++)
                if (written.SequenceEqual(nameOf(options, k))) return k;
        }
        var text = written.ToString().ToLowerInvariant();
        for (int k = 0; k < count; k++)
            if (nameOf(options, k) == text) return k;
        ValueError(key, $"expected {Expected()}, got '{s.Text}'{NameSuggester.Hint(text, Names(options, nameOf, count))}");
        return -1;
    }

    private static List<string> Names<TOptions>(TOptions options, Func<TOptions, int, string> nameOf, int count)
    {
        var names = new List<string>(count);
        for (int k = 0; k < count; k++) names.Add(nameOf(options, k));
        return names;
    }

    public NumberFormat? Format(string key, bool required, string expected = "a number format name such as int8, fp16, posit8es0 or mxfp4")
    {
        var s = Scalar(key, required, expected);
        if (s is null) return null;
        if (NumberFormat.TryParse(s.Text, out var f, out var error)) return f;
        ValueError(key, error);
        return null;
    }

    /// <summary>Where the key itself was written (for reporting keys missing inside its value).</summary>
    public Origin? KeyOrigin(string key) => Map.Find(key)?.KeyOrigin;

    public ConfigMap? SubMap(string key, bool required, string expected)
    {
        var e = Entry(key);
        if (e is null)
        {
            if (required) Missing(key, expected);
            return null;
        }
        if (e.Value is ConfigMap m) return m;
        ValueError(key, $"expected {expected}, got {e.Value.KindName}");
        return null;
    }

    public ConfigSeq? SubList(string key, bool required, string expected)
    {
        var e = Entry(key);
        if (e is null)
        {
            if (required) Missing(key, expected);
            return null;
        }
        if (e.Value is ConfigSeq q) return q;
        ValueError(key, $"expected {expected}, got {e.Value.KindName}");
        return null;
    }

    public static bool TryNumber(string text, out double v) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

    public static string Fmt(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
