using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mantissa.Arch.Config;

/// <summary>
/// Wraps YamlDotNet's parser and stops a read that nests deeper than <see cref="MaxDepth"/> or whose aliases would
/// expand to more than <see cref="MaxAliasNodes"/> nodes, with a <see cref="YamlException"/> at the offending event.
/// </summary>
/// <remarks>
/// YamlDotNet builds its node tree recursively (so 100,000 '[' overflow the stack and kill the process) and the
/// trees here are walked with aliases expanded (so ten levels of 9× aliases grow to gigabytes): both are stopped
/// while the events stream in, before any tree exists. Every YAML reader in Mantissa parses through this class.
/// </remarks>
public sealed partial class GuardedYamlParser : IParser
{
    /// <summary>Deepest nesting of mappings and sequences accepted (real files nest fewer than ten levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes that aliases may add when expanded, summed over the document.</summary>
    public const long MaxAliasNodes = 10_000;

    private readonly Parser _inner;
    private readonly Dictionary<string, long> _anchorSize = new(StringComparer.Ordinal);
    // The open mappings and sequences as parallel arrays (depth is capped), not a Stack of (anchor, start) tuples: that
    // instantiation is JIT-compiled at every start-up.
    private readonly string?[] _openAnchor = new string?[MaxDepth];
    private readonly long[] _openStart = new long[MaxDepth];
    private int _depth;
    private long _nodes;
    private long _aliasNodes;

    /// <summary>A guarded parser over <paramref name="text"/>.</summary>
    public GuardedYamlParser(string text) => _inner = new Parser(new StringReader(text));

    /// <inheritdoc/>
    public ParsingEvent? Current => _inner.Current;

    /// <inheritdoc/>
    public bool MoveNext()
    {
        if (!_inner.MoveNext()) return false;
        switch (_inner.Current)
        {
            case DocumentStart:
                _anchorSize.Clear();
                _nodes = _aliasNodes = 0;
                break;
            case Scalar s:
                _nodes++;
                if (!s.Anchor.IsEmpty) _anchorSize[s.Anchor.Value] = 1;
                break;
            case NodeEvent { } n and (SequenceStart or MappingStart):
                _nodes++;
                if (_depth >= MaxDepth)
                    throw new YamlException(n.Start, n.End, $"nesting deeper than {MaxDepth} levels of mappings and sequences");
                _openAnchor[_depth] = n.Anchor.IsEmpty ? null : n.Anchor.Value;
                _openStart[_depth++] = _nodes;
                break;
            case SequenceEnd or MappingEnd:
                if (_depth > 0 && _openAnchor[--_depth] is { } anchor) _anchorSize[anchor] = _nodes - _openStart[_depth] + 1;
                break;
            case AnchorAlias a:
                long size = _anchorSize.TryGetValue(a.Value.Value, out var known) ? known : 1;
                _nodes += size;
                _aliasNodes += size;
                if (_aliasNodes > MaxAliasNodes)
                    throw new YamlException(a.Start, a.End,
                        $"aliases ('*{a.Value.Value}') expand to more than {MaxAliasNodes:N0} nodes; write the values out instead of nesting aliases");
                break;
        }
        return true;
    }

    /// <summary>A YamlDotNet message without its "(Line: a, Col: b, Idx: c) - (...): " prefix (messages carry the position themselves).</summary>
    public static string CleanMessage(YamlException ex)
    {
        var inner = ex.InnerException is { Message.Length: > 0 } i ? i.Message : ex.Message;
        return PositionPrefix().Replace(inner, "").Trim();
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
