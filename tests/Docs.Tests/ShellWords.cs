using System.Text;

namespace Mantissa.Docs.Tests;

/// <summary>One word of a documented command line; <see cref="Operator"/> marks an unquoted |, &lt;, &gt;, ; or &amp;.</summary>
public readonly record struct ShellWord(string Text, bool Operator);

/// <summary>Splits a documented command line as a POSIX shell would for the forms the docs use: quotes, backslashes, # comments, operators.</summary>
public static class ShellWords
{
    /// <summary>The words of <paramref name="line"/>; throws FormatException on an unclosed quote.</summary>
    public static List<ShellWord> Split(string line)
    {
        var words = new List<ShellWord>();
        var cur = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c)) { Flush(); continue; }
            if (c == '#' && !inWord) break; // a comment ("# after fixing the key")
            if (c is '|' or '<' or '>' or ';' or '&')
            {
                Flush();
                int j = i;
                while (j + 1 < line.Length && line[j + 1] == c) j++;
                words.Add(new ShellWord(line[i..(j + 1)], true));
                i = j;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                int end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException($"unclosed ' in: {line}");
                cur.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    // inside double quotes a backslash escapes only $ ` " \ (and newline); otherwise it stays
                    if (line[j] == '\\' && j + 1 < line.Length && line[j + 1] is '$' or '`' or '"' or '\\') j++;
                    cur.Append(line[j]);
                }
                if (j == line.Length) throw new FormatException($"unclosed \" in: {line}");
                i = j;
            }
            else if (c == '\\' && i + 1 < line.Length) cur.Append(line[++i]);
            else cur.Append(c);
        }
        Flush();
        return words;

        void Flush()
        {
            if (inWord) words.Add(new ShellWord(cur.ToString(), false));
            cur.Clear();
            inWord = false;
        }
    }

    /// <summary>What printf FORMAT prints for a format without conversions: \n, \t, \\ and %% expanded.</summary>
    public static string Printf(string format)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '\\' && i + 1 < format.Length)
            {
                char n = format[++i];
                sb.Append(n switch { 'n' => '\n', 't' => '\t', '\\' => '\\', _ => throw new FormatException($"printf escape \\{n} is not supported") });
            }
            else if (c == '%')
            {
                if (i + 1 < format.Length && format[i + 1] == '%') { sb.Append('%'); i++; }
                else throw new FormatException("printf conversions (%s, %d, ...) are not supported");
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
