namespace Mantissa.Docs.Tests;

/// <summary>One `$ ...` line of a console block in a Markdown file, with the output lines the document shows under it.</summary>
/// <param name="File">Path of the Markdown file relative to the repository root.</param>
/// <param name="Line">1-based line of the `$` line.</param>
/// <param name="Command">The command after `$ `, continuation lines joined.</param>
/// <param name="OutputStart">0-based index of the first documented output line in the file.</param>
/// <param name="Output">The documented output lines (possibly none).</param>
/// <param name="SkipReason">The reason given by a `doc-test: skip` marker on the block, or null.</param>
/// <param name="Indent">Spaces before the block's fence (a block inside a list item); <see cref="Output"/> is without them.</param>
public sealed record DocCommand(string File, int Line, string Command, int OutputStart, IReadOnlyList<string> Output, string? SkipReason, int Indent);

/// <summary>A fenced block preceded by `&lt;!-- doc-test: file NAME --&gt;`: its text becomes a file of the sandbox before the commands after it run.</summary>
public sealed record DocFile(string File, int Line, string Name, string Content);

/// <summary>What one Markdown file asks the doc-output test to do, in document order.</summary>
public sealed record DocScript(string File, IReadOnlyList<object> Steps, IReadOnlyList<string> Problems);
