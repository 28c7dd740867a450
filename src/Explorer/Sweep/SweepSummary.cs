using System.Text.Json;
using System.Text.Json.Serialization;
using Mantissa.Arch;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Sweep;

/// <summary>What a results folder holds (sweep.json): enough to rebuild the frontier, plots and report without the sweep file.</summary>
public sealed record SweepSummary(
    string Name,
    string SweepFile,
    string BaseFile,
    string Strategy,
    IReadOnlyList<string> Parameters,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<Objective> Objectives,
    IReadOnlyList<string> Constraints,
    IReadOnlyList<string> Workloads,
    string ColorBy,
    string? Shard)
{
    public const string FileName = "sweep.json";

    /// <summary>The JSON layout version (<see cref="OutputSchema.Version"/>), written first.</summary>
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = OutputSchema.Version;

    /// <summary>SHA-256 of the sweep file's text when the run started (null in folders written before it was recorded).</summary>
    public string? SweepSha256 { get; init; }

    /// <summary>The row-key scheme of points.csv (<see cref="RowKeyVersion"/>); null in folders written before it was recorded (version 1).</summary>
    public int? KeyVersion { get; init; }

    /// <summary>Loads <paramref name="dir"/>'s summary for a merge, refusing rows keyed by another scheme than this build's.</summary>
    public static SweepSummary LoadForMerge(string dir)
    {
        var s = Load(dir);
        RowKeyVersion.Require(s.KeyVersion, dir, FileName, "merged with rows of this version",
                              "run the sweep (or its shards) again into new folders and merge those");
        return s;
    }

    // built on first use, by Load: a sweep that only writes its summary loads no serializer
    internal static JsonSerializerOptions Json => _json ??= new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = SweepJsonContext.Default,
    };

    private static JsonSerializerOptions? _json;

    public static SweepSummary From(SweepSpec spec, ResultSchema schema, ShardSpec? shard) =>
        new(spec.Name, spec.SweepFile, spec.BaseFile, spec.Strategy.Describe(), schema.Parameters, schema.Labels, schema.Metrics,
            spec.Objectives, spec.Constraints.Select(c => c.Text).ToList(), spec.Workloads.Select(w => w.Label).ToList(), spec.ColorBy, shard?.ToString())
        {
            KeyVersion = RowKeyVersion.Current,
        };

    public void Save(string dir) => File.WriteAllText(Path.Combine(dir, FileName), ToJson());

    /// <summary>The file's text: what the serializer writes with <see cref="Json"/>'s options (and a final newline), written
    /// by hand so that saving compiles no serializer at run time.</summary>
    internal string ToJson()
    {
        var w = new IndentedJsonWriter().BeginObject()
            .Number("schema_version", SchemaVersion)
            .String("name", Name).String("sweep_file", SweepFile).String("base_file", BaseFile).String("strategy", Strategy)
            .Strings("parameters", Parameters).Strings("labels", Labels).Strings("metrics", Metrics)
            .BeginArray("objectives");
        foreach (var o in Objectives)
            w.BeginObject().String("metric", o.Metric).String("goal", o.Goal == Goal.Min ? "min" : "max").EndObject();
        return w.EndArray()
            .Strings("constraints", Constraints).Strings("workloads", Workloads)
            .String("color_by", ColorBy).String("shard", Shard).String("sweep_sha256", SweepSha256).Number("key_version", KeyVersion)
            .EndObject().ToString() + "\n";
    }

    public static SweepSummary Load(string dir)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) throw new MantissaException($"{dir} is not a sweep results folder (no {FileName})");
        try
        {
            return JsonSerializer.Deserialize<SweepSummary>(File.ReadAllText(path), Json) ?? throw new MantissaException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new MantissaException($"{path}: not a valid sweep summary ({e.Message})");
        }
    }
}
