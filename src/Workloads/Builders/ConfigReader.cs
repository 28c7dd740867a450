using System.Text.Json;
using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>Typed access to the keys of a config.json object that collects every problem before failing.</summary>
internal sealed class ConfigReader(JsonElement root, string source)
{
    public List<string> Problems { get; } = new();

    public JsonElement Root => root;

    public MantissaException Error() => new($"{source}: invalid model config:\n  " + string.Join("\n  ", Problems));

    /// <summary>True when <paramref name="key"/> is present with a value that means something: not null, false, 0, "" or an empty list.</summary>
    public bool IsSet(string key) => root.TryGetProperty(key, out var v) && v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.Number => v.GetRawText() is not ("0" or "0.0"),
        JsonValueKind.String => v.GetString()!.Length > 0,
        JsonValueKind.Array => v.GetArrayLength() > 0,
        JsonValueKind.Object => v.EnumerateObject().Any(),
        _ => true,
    };

    public int Int(string key)
    {
        if (!root.TryGetProperty(key, out var v)) { Problems.Add($"missing key '{key}' (an integer)"); return 0; }
        return AsInt(key, v) ?? 0;
    }

    public int? OptInt(string key, bool allowNull = false)
    {
        if (!root.TryGetProperty(key, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Null) { if (!allowNull) Problems.Add($"key '{key}': expected an integer, got null"); return null; }
        return AsInt(key, v);
    }

    private int? AsInt(string key, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
        Problems.Add($"key '{key}': expected an integer, got {Describe(v)}");
        return null;
    }

    /// <summary>A number or null (null and absent both give null).</summary>
    public double? OptDouble(string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        Problems.Add($"key '{key}': expected a number or null, got {Describe(v)}");
        return null;
    }

    public string Str(string key)
    {
        if (!root.TryGetProperty(key, out var v)) { Problems.Add($"missing key '{key}' (a string)"); return ""; }
        if (v.ValueKind != JsonValueKind.String) { Problems.Add($"key '{key}': expected a string, got {Describe(v)}"); return ""; }
        return v.GetString()!;
    }

    public string? OptStr(string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) { Problems.Add($"key '{key}': expected a string, got {Describe(v)}"); return null; }
        return v.GetString();
    }

    public bool? OptBool(string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Problems.Add($"key '{key}': expected true or false, got {Describe(v)}");
        return null;
    }

    /// <summary>A list of integers (absent or null: null).</summary>
    public List<int>? OptIntList(string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out _)))
        {
            Problems.Add($"key '{key}': expected a list of integers, got {Describe(v)}");
            return null;
        }
        return v.EnumerateArray().Select(e => e.GetInt32()).ToList();
    }

    /// <summary>A list of strings (absent or null: null).</summary>
    public List<string>? OptStrList(string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            Problems.Add($"key '{key}': expected a list of strings, got {Describe(v)}");
            return null;
        }
        return v.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => v.ValueKind.ToString().ToLowerInvariant(),
    };
}
