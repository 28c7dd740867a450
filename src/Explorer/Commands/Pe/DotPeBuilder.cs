using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Cli;
using Mantissa.Sim.Pe;

namespace Mantissa.Explorer.Commands.Pe;

/// <summary>
/// Builds the PE functional model that <c>mantissa dot</c> runs: its options are the <c>pe:</c> keys of an architecture
/// file, bound by the same binder (same defaults, same checks) as YAML.
/// </summary>
internal static class DotPeBuilder
{
    /// <summary>Command-line option → <c>pe:</c> key: the common ones, then every kind's own keys as its descriptor
    /// declares them (<see cref="PeKey.Option"/>), so a new kind's keys are options without a line here.</summary>
    private static readonly (string Option, string Key)[] KeyOptions =
        [("--accum", "accumulator"), ("--dot-width", "dot_width"), .. PeKind.AllKeys.Select(k => (k.Option, k.Name))];

    /// <summary>The help lines of the kind-specific options, from the key declarations: which kinds read each, what it
    /// means, the values it takes and its default.</summary>
    public static IEnumerable<OptionSpec> KindOptions => PeKind.AllKeys.Select(k =>
    {
        var kinds = PeFactory.ModelledKinds.Where(kind => kind.Keys.Any(own => own.Name == k.Name)).ToList();
        var defaults = string.Join(" / ", kinds.Select(kind => k.DefaultText(kind.DefaultParameters)).Distinct());
        return new OptionSpec(k.Option, ValueName(k), $"{string.Join(", ", kinds.Select(kind => kind.Name))}: {k.Doc}; {k.Expected} (default {defaults}).");
    });

    private static string ValueName(PeKey k) => k switch
    {
        PeFlagKey => "BOOL",
        PeChoiceKey c when !c.Options.All(o => int.TryParse(o, out _)) => "MODE",
        _ => "N",
    };

    public static PeModel Build(ParsedArgs args)
    {
        var kind = Kind(args.Require("--pe"));
        string w, a;
        if (args.Get("--format") is { } f)
        {
            if (args.Has("--wformat") || args.Has("--aformat")) throw new UsageException("give either --format or --wformat/--aformat, not both");
            w = a = f;
        }
        else
        {
            if (!args.Has("--wformat") || !args.Has("--aformat")) throw new UsageException("give --format F, or both --wformat and --aformat");
            w = args.Require("--wformat");
            a = args.Require("--aformat");
        }
        var options = new List<(string Key, string Value)> { ("kind", kind.Name), ("weights", w), ("activations", a) };
        // Integer options follow the CLI's rule (non-negative integers) before the binder checks their ranges.
        args.GetInt("--dot-width", 0);
        foreach (var key in PeKind.AllKeys)
            if (ValueName(key) == "N") args.GetInt(key.Option, 0);
        foreach (var (option, key) in KeyOptions)
            if (args.Get(option) is { } v) options.Add((key, v));
        string? accum = args.Get("--accum");
        if (kind == PeKind.Lut && args.Get("--entries") is null or "exact" && accum is not (null or "exact"))
            throw new UsageException("lut with --entries exact sums exactly; --accum applies to --entries int8 (the lookup register, e.g. int16)");

        PeSpec spec;
        try { spec = PeOptions.Bind(options, "command line", n => BitModFormat.TryParse(n, out var b) ? b : null); }
        catch (ConfigException e) { throw new UsageException(string.Join("; ", e.Diagnostics.Select(Describe))); }

        ScalarFormat? output = args.Get("--out") is { } o ? Format(o, "--out") as ScalarFormat ?? throw new UsageException($"--out {o} must be a scalar format") : null;
        FloatFormat? scaleFormat = args.Get("--scale-format") is { } sf
            ? Format(sf, "--scale-format") as FloatFormat ?? throw new UsageException($"--scale-format {sf} must be a float format (e.g. fp16, bf16, fp32)")
            : null;
        return PeFactory.Create(spec, output, scaleFormat);
    }

    // A binder diagnostic in command-line terms: the option instead of the YAML key path.
    private static string Describe(ConfigDiagnostic d)
    {
        string key = d.KeyPath.StartsWith("pe.", StringComparison.Ordinal) ? d.KeyPath[3..] : d.KeyPath;
        string option = key switch
        {
            "weights" => "--wformat",
            "activations" => "--aformat",
            "kind" => "--pe",
            _ => KeyOptions.FirstOrDefault(k => k.Key == key).Option ?? key,
        };
        return $"{option}: {d.Message}";
    }

    /// <summary>A PE kind name; an unknown one is a usage error listing the valid kinds.</summary>
    public static PeKind Kind(string name)
    {
        try { return PeFactory.ParseKind(name); }
        catch (MantissaException e) { throw new UsageException("--pe: " + e.Message); }
    }

    private static NumberFormat Format(string name, string option)
    {
        try { return BitModFormat.ParseAny(name); }
        catch (MantissaException e) { throw new UsageException($"{option}: {e.Message}"); }
    }
}
