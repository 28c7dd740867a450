namespace Mantissa.Explorer.Cli;

/// <summary>The version of every JSON document mantissa writes; bumped when a key is renamed, removed or changes meaning.</summary>
public static class OutputSchema
{
    /// <summary>Written as <c>"schema_version"</c>, the first key of each JSON object mantissa prints or saves.</summary>
    public const int Version = 1;

    public const string Key = "schema_version";
}
