using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Sweep;

/// <summary>Sweep-file checks against the real models: set paths against the architecture schema, workloads against the catalog.</summary>
public static partial class ModelChecks
{
    public static SweepValidation Validation { get; } = new(CheckSets, CheckWorkload);

    /// <summary>
    /// Misspelled or impossible set paths, unknown keys inside a swept sub-tree and unparsable values are errors of the
    /// sweep file. Values the binder rejects are not: a PE kind may only be valid together with another swept format,
    /// so such points become invalid rows.
    /// </summary>
    public static string? CheckSets(string baseFile, IReadOnlyList<KeyValuePair<string, string>> sets)
    {
        try
        {
            Resolved(baseFile).Load(sets);
            return null;
        }
        catch (ConfigException e)
        {
            var bad = e.Diagnostics.Where(d => d.Kind != DiagnosticKind.Value && d.File.StartsWith("--set ", StringComparison.Ordinal)).ToList();
            return bad.Count == 0 ? null : string.Join("; ", bad.Select(d => d.Message));
        }
    }

    // keyed on "path\0write time\0length" (a string key: a tuple over value types is a dictionary compiled at run time)
    private static readonly ConcurrentDictionary<string, ResolvedArchitecture> Parsed = new();

    /// <summary>The base file parsed once per version of it: the parser checks every swept value against it, and the
    /// evaluator builds every design point from it.</summary>
    internal static ResolvedArchitecture Resolved(string baseFile)
    {
        var info = new FileInfo(baseFile);
        if (!info.Exists) return ResolvedArchitecture.Parse(baseFile); // reports the missing file
        return Parsed.GetOrAdd($"{info.FullName}\0{info.LastWriteTimeUtc.Ticks}\0{info.Length}", _ => ResolvedArchitecture.Parse(baseFile));
    }

    /// <summary>A <c>gemm-MxKxN</c> name is always valid; anything else must build with the workload catalog.</summary>
    public static string? CheckWorkload(WorkloadSpec w)
    {
        if (GemmName().IsMatch(w.Model))
            return Gemm(w.Model) is { } g && g.M > 0 && g.K > 0 && g.N > 0 && g.M <= int.MaxValue && g.K <= int.MaxValue && g.N <= int.MaxValue
                ? null
                : $"GEMM '{w.Model}': dimensions must be 1..{int.MaxValue:N0} (2^31 - 1) each";
        try
        {
            // a native-precision workload is built per PE; its shape is checked here at fp16
            WorkloadCatalog.Build(w.Model, Options(w.Precision == NativePrecision ? w with { Precision = "fp16" } : w));
            return null;
        }
        catch (MantissaException e)
        {
            return e.Message;
        }
    }

    /// <summary>The catalog options of a sweep workload.</summary>
    /// <summary>The <c>precision</c> value that runs each design at the recipe its own PE formats support.</summary>
    public const string NativePrecision = "native";

    /// <summary>
    /// The recipe a PE runs a <c>precision: native</c> workload at: the preset whose weight and activation formats are
    /// the PE's own (int8×int8 → w8a8, int4×fp16 → w4a16g128, mxfp4 → mxfp4, ...), else the first preset it runs.
    /// </summary>
    public static string NativeRecipe(Mantissa.Arch.Model.PeSpec pe) =>
        RecipePresets.Names.FirstOrDefault(n => RecipePresets.Get(n).Defaults is var d
                                                && d.Weights.Name == pe.WeightFormat.Name && d.Activations.Name == pe.ActivationFormat.Name)
        ?? Mantissa.Sim.FormatFit.DefaultRecipe(pe)
        ?? throw new MantissaException($"precision native: no precision preset runs on a {pe.Kind} PE with {pe.WeightFormat.Name} weights and {pe.ActivationFormat.Name} activations");

    public static WorkloadOptions Options(WorkloadSpec w) =>
        new(w.Phase switch { "decode" => Phase.Decode, "train" => Phase.Train, "prefill" => Phase.Prefill,
                             _ => throw new ArgumentException($"phase '{w.Phase}' was not checked by the sweep parser") }, w.Batch, w.Seq, w.Kv, w.Precision, Causal: w.Causal, Name: w.Name);

    [GeneratedRegex(@"^gemm-([0-9]+)x([0-9]+)x([0-9]+)$")]
    private static partial Regex GemmName();

    /// <summary>M, K, N of a <c>gemm-MxKxN</c> workload (Out[M×N] = In[M×K]·W[K×N]), or null (also when a dimension overflows a long).</summary>
    public static (long M, long K, long N)? Gemm(string model)
    {
        var x = GemmName().Match(model);
        if (!x.Success) return null;
        long m = 0, k = 0, n = 0;
        bool ok = long.TryParse(x.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out m)
                  && long.TryParse(x.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out k)
                  && long.TryParse(x.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        return ok ? (m, k, n) : null;
    }
}
