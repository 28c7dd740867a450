using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Writes the small JSON files of a results folder (sweep.json, sweep-id.json) by hand, in exactly the layout
/// System.Text.Json's indented serializer gives them (two-space indent, <c>"key": value</c>, <c>[]</c> when empty).
/// A one-shot sweep otherwise spends about 150 run-time compiled methods on the serializer's metadata and converters.
/// </summary>
internal sealed class IndentedJsonWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;
    private bool _first = true;

    /// <summary>The document written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Opens an object, as the root (<paramref name="name"/> null) or as a property or array item.</summary>
    public IndentedJsonWriter BeginObject(string? name = null) => Open(name, '{');

    public IndentedJsonWriter EndObject() => Close('}');

    public IndentedJsonWriter BeginArray(string name) => Open(name, '[');

    public IndentedJsonWriter EndArray() => Close(']');

    public IndentedJsonWriter String(string? name, string? value)
    {
        Next(name);
        if (value is null) _text.Append("null");
        else AppendString(_text, value);
        return this;
    }

    public IndentedJsonWriter Number(string name, int? value)
    {
        Next(name);
        _text.Append(value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null");
        return this;
    }

    /// <summary>An array of strings.</summary>
    public IndentedJsonWriter Strings(string name, IReadOnlyList<string> values)
    {
        BeginArray(name);
        foreach (var v in values) String(null, v);
        return EndArray();
    }

    private IndentedJsonWriter Open(string? name, char bracket)
    {
        if (_text.Length > 0) Next(name);
        _text.Append(bracket);
        _depth++;
        _first = true;
        return this;
    }

    private IndentedJsonWriter Close(char bracket)
    {
        _depth--;
        // an empty object or array stays on its line: {} or []
        if (!_first) NewLine();
        _text.Append(bracket);
        _first = false;
        return this;
    }

    // the separator, line break and indent before a value, then its name
    private void Next(string? name)
    {
        if (!_first) _text.Append(',');
        NewLine();
        _first = false;
        if (name is null) return;
        _text.Append('"').Append(name).Append("\": ");
    }

    private void NewLine() => _text.Append('\n').Append(' ', 2 * _depth);

    /// <summary>A quoted JSON string escaped as the serializer's default encoder escapes it.</summary>
    public static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        if (IsPrintableAscii(value)) AppendAscii(text, value);
        else text.Append(JsonEncodedText.Encode(value).Value); // non-ASCII or control characters: the encoder's own tables
        text.Append('"');
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (char c in value)
            if (c is < ' ' or > '~') return false;
        return true;
    }

    // The default encoder escapes the backslash as \\ and the quote and HTML-sensitive characters as \u00XX (a constraint
    // such as 'area_mm2 <= 10' has one).
    private static void AppendAscii(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            if (c == '\\') text.Append("\\\\");
            else if (c is '"' or '&' or '\'' or '+' or '<' or '>' or '`') text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }
    }
}
