using System.Text.RegularExpressions;

namespace Mantissa.Docs.Tests;

/// <summary>Finds the console examples of a Markdown file (the convention is described in CONTRIBUTING.md, "Documented output").</summary>
public static partial class MarkdownExamples
{
    [GeneratedRegex(@"^<!--\s*doc-test:\s*(?<verb>\S+)\s*(?<arg>.*?)\s*-->\s*$")]
    private static partial Regex Marker();

    /// <summary>Splits <paramref name="lines"/> (the file <paramref name="file"/>) into files to create and commands to check.</summary>
    public static DocScript Parse(string file, IReadOnlyList<string> lines)
    {
        var steps = new List<object>();
        var problems = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal)) continue;
            int indent = lines[i].Length - trimmed.Length;
            string info = trimmed[3..].Trim();
            int open = i;
            int close = open + 1;
            while (close < lines.Count && !lines[close].TrimStart().StartsWith("```", StringComparison.Ordinal)) close++;
            if (close == lines.Count) { problems.Add($"{file}:{open + 1}: code block is never closed"); break; }
            i = close;

            var body = new List<string>();
            for (int j = open + 1; j < close; j++) body.Add(Unindent(lines[j], indent));

            string? skip = null, fileName = null;
            var marker = open > 0 ? Marker().Match(lines[open - 1].Trim()) : Match.Empty;
            if (marker.Success)
            {
                string verb = marker.Groups["verb"].Value, arg = marker.Groups["arg"].Value;
                if (verb == "skip")
                {
                    if (arg.Length == 0) problems.Add($"{file}:{open}: a doc-test skip marker must say why: <!-- doc-test: skip REASON -->");
                    skip = arg.Length == 0 ? "(no reason given)" : arg;
                }
                else if (verb == "file")
                {
                    if (arg.Length == 0) problems.Add($"{file}:{open}: <!-- doc-test: file NAME --> needs a file name");
                    else fileName = arg;
                }
                else problems.Add($"{file}:{open}: unknown doc-test marker '{verb}' (expected 'skip REASON' or 'file NAME')");
            }

            if (fileName is not null)
            {
                steps.Add(new DocFile(file, open + 1, fileName, string.Join('\n', body) + "\n"));
                continue;
            }
            if (info.Length > 0 && info != "console")
            {
                // yaml, bash, csharp ...: not a transcript; a mantissa command there would go unchecked
                if (body.Any(l => l.StartsWith("$ mantissa", StringComparison.Ordinal)))
                    problems.Add($"{file}:{open + 1}: a '$ mantissa' line in a ```{info} block is not checked; use a plain ``` or ```console block");
                continue;
            }

            for (int j = 0; j < body.Count; j++)
            {
                if (!body[j].StartsWith("$ ", StringComparison.Ordinal)) continue;
                int line = open + 2 + j;
                string command = body[j][2..];
                while (command.EndsWith('\\') && j + 1 < body.Count)
                {
                    j++;
                    command = command[..^1].TrimEnd() + " " + body[j].Trim();
                }
                int start = j + 1;
                int end = start;
                while (end < body.Count && !body[end].StartsWith("$ ", StringComparison.Ordinal)) end++;
                steps.Add(new DocCommand(file, line, command.Trim(), open + 1 + start, body.GetRange(start, end - start), skip, indent));
                j = end - 1;
            }
        }
        return new DocScript(file, steps, problems);
    }

    private static string Unindent(string line, int indent)
    {
        int n = 0;
        while (n < indent && n < line.Length && line[n] == ' ') n++;
        return line[n..];
    }
}
