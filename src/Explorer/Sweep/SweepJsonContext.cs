using System.Text.Json.Serialization;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Compile-time (source-generated) JSON metadata of a results folder's <c>sweep.json</c> and <c>sweep-id.json</c>, so a
/// sweep process does not build serializers by reflection at start-up (about 150 methods compiled at run time, and
/// reflection emit). The options match the files' own (snake_case names, indented); the files set it as their resolver.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SweepSummary))]
[JsonSerializable(typeof(SweepIdentity))]
internal sealed partial class SweepJsonContext : JsonSerializerContext;
