namespace Mantissa.Arch;

/// <summary>Quoting user input in messages: never more than a short excerpt, so a wrong file is not echoed back.</summary>
public static class MessageText
{
    /// <summary>Longest excerpt of user text a message quotes.</summary>
    public const int MaxQuoted = 60;

    /// <summary><paramref name="text"/> cut to <see cref="MaxQuoted"/> characters (with "…") and to its first line.</summary>
    public static string Clip(string text)
    {
        int nl = text.IndexOfAny(['\n', '\r']);
        bool cut = nl >= 0 || text.Length > MaxQuoted;
        if (nl >= 0) text = text[..nl];
        if (text.Length > MaxQuoted) text = text[..MaxQuoted];
        return cut ? text + "…" : text;
    }
}
