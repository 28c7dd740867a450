namespace Mantissa.Arch.Model;

/// <summary>
/// One kind-specific <c>pe:</c> key, declared by the descriptor that reads it: its YAML name, the values it takes, what it
/// means, and the <see cref="PeParameters"/> field it sets. The binder, the schema behind unknown-key errors and
/// <c>--set</c>, and <c>mantissa dot</c>'s options are all built from these declarations, so no other list names the keys.
/// </summary>
public abstract class PeKey
{
    private protected PeKey(string name, string doc, KeyRules rules)
    {
        Name = name; Doc = doc; Option = rules.Option ?? "--" + name.Replace('_', '-');
        Problem = rules.Problem; ProblemIsTheKey = rules.ProblemAtKey; _derivedDefault = rules.DerivedDefault;
    }

    private readonly string? _derivedDefault;

    /// <summary>The optional parts of a declaration, passed through to the base.</summary>
    internal readonly record struct KeyRules(string? Option, Func<PeBinding, string?>? Problem, bool ProblemAtKey, string? DerivedDefault);

    /// <summary>True when <see cref="Problem"/> says the key itself does not fit (reported at the key, e.g. <c>overflow</c>
    /// on a float accumulator), false when its value is wrong (reported at the value).</summary>
    public bool ProblemIsTheKey { get; }

    /// <summary>The YAML key (<c>bits_per_cycle</c>).</summary>
    public string Name { get; }

    /// <summary>What the key means, one sentence (shown by <c>mantissa dot --help</c>).</summary>
    public string Doc { get; }

    /// <summary>The <c>mantissa dot</c> option that sets it: <c>--</c> and the key with dashes unless declared otherwise.</summary>
    public string Option { get; }

    /// <summary>What a value must be, for messages and help ("1, 2 or 4", "an integer 1..8").</summary>
    public abstract string Expected { get; }

    /// <summary>The key's value in <paramref name="p"/> as YAML text.</summary>
    public abstract string Show(PeParameters p);

    /// <summary>What an omitted key means for a kind whose defaults are <paramref name="defaults"/>: the value, or how it
    /// is derived when the binder derives it from the operands (simd_mac <c>lanes</c>).</summary>
    public string DefaultText(PeParameters defaults) => _derivedDefault ?? Show(defaults);

    /// <summary>Why this key, written, does not fit the bound PE (e.g. <c>group_size</c> not a multiple of <c>dot_width</c>),
    /// or null.</summary>
    public Func<PeBinding, string?>? Problem { get; }

    public override string ToString() => Name;

    /// <summary>A key taking one of a fixed set of names, each meaning one value of the field.</summary>
    public static PeChoiceKey Choice<T>(string name, string doc, (string Name, T Value)[] options,
        Func<PeParameters, T> get, Func<PeParameters, T, PeParameters> set, string? option = null,
        Func<PeBinding, string?>? problem = null, bool problemAtKey = false, string? derivedDefault = null) where T : notnull =>
        new(name, doc, new KeyRules(option, problem, problemAtKey, derivedDefault), OptionNames(options),
            p => OptionIndex(options, get(p)), (p, i) => set(p, options[i].Value));

    // loops, not Select/FindIndex: those instantiated over each enum type are JIT-compiled at every start-up
    private static string[] OptionNames<T>((string Name, T Value)[] options)
    {
        var names = new string[options.Length];
        for (int i = 0; i < names.Length; i++) names[i] = options[i].Name;
        return names;
    }

    private static int OptionIndex<T>((string Name, T Value)[] options, T value) where T : notnull
    {
        // object.Equals, not EqualityComparer<T>.Default: the comparer over each enum is JIT-compiled too
        for (int i = 0; i < options.Length; i++)
            if (options[i].Value.Equals(value)) return i;
        return -1;
    }

    /// <summary>A key taking an integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static PeIntegerKey Integer(string name, string doc, int min, int max,
        Func<PeParameters, int> get, Func<PeParameters, int, PeParameters> set, string? option = null,
        Func<PeBinding, string?>? problem = null, bool problemAtKey = false, string? derivedDefault = null) =>
        new(name, doc, new KeyRules(option, problem, problemAtKey, derivedDefault), min, max, get, set);

    /// <summary>A key taking true or false.</summary>
    public static PeFlagKey Flag(string name, string doc, Func<PeParameters, bool> get, Func<PeParameters, bool, PeParameters> set,
        string? option = null, Func<PeBinding, string?>? problem = null, bool problemAtKey = false, string? derivedDefault = null) =>
        new(name, doc, new KeyRules(option, problem, problemAtKey, derivedDefault), get, set);
}

/// <summary>A <see cref="PeKey"/> taking one of a fixed set of names.</summary>
public sealed class PeChoiceKey : PeKey
{
    private readonly Func<PeParameters, int> _index;
    private readonly Func<PeParameters, int, PeParameters> _set;

    internal PeChoiceKey(string name, string doc, KeyRules rules, IReadOnlyList<string> options,
        Func<PeParameters, int> index, Func<PeParameters, int, PeParameters> set) : base(name, doc, rules)
    {
        Options = options; _index = index; _set = set;
    }

    /// <summary>The names it takes, in documentation order.</summary>
    public IReadOnlyList<string> Options { get; }

    public override string Expected => Options.Count == 1 ? Options[0] : string.Join(", ", Options.Take(Options.Count - 1)) + " or " + Options[^1];

    public override string Show(PeParameters p) => _index(p) is var i and >= 0 ? Options[i] : "?";

    /// <summary><paramref name="p"/> with the field set to option <paramref name="index"/>.</summary>
    public PeParameters Set(PeParameters p, int index) => _set(p, index);
}

/// <summary>A <see cref="PeKey"/> taking an integer in a range.</summary>
public sealed class PeIntegerKey : PeKey
{
    private readonly Func<PeParameters, int> _get;
    private readonly Func<PeParameters, int, PeParameters> _set;

    internal PeIntegerKey(string name, string doc, KeyRules rules, int min, int max,
        Func<PeParameters, int> get, Func<PeParameters, int, PeParameters> set) : base(name, doc, rules)
    {
        Min = min; Max = max; _get = get; _set = set;
    }

    public int Min { get; }
    public int Max { get; }

    public override string Expected => $"an integer {Min}..{Max}";

    public override string Show(PeParameters p) => _get(p).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><paramref name="p"/> with the field set to <paramref name="value"/>.</summary>
    public PeParameters Set(PeParameters p, int value) => _set(p, value);
}

/// <summary>A <see cref="PeKey"/> taking true or false.</summary>
public sealed class PeFlagKey : PeKey
{
    private readonly Func<PeParameters, bool> _get;
    private readonly Func<PeParameters, bool, PeParameters> _set;

    internal PeFlagKey(string name, string doc, KeyRules rules,
        Func<PeParameters, bool> get, Func<PeParameters, bool, PeParameters> set) : base(name, doc, rules)
    {
        _get = get; _set = set;
    }

    public override string Expected => "true or false";

    public override string Show(PeParameters p) => _get(p) ? "true" : "false";

    /// <summary><paramref name="p"/> with the field set to <paramref name="value"/>.</summary>
    public PeParameters Set(PeParameters p, bool value) => _set(p, value);
}
