using System.Globalization;
using System.Text;

namespace Mantissa.Workloads;

/// <summary>Writes a <see cref="WorkloadGraph"/> as Graphviz DOT (operators as boxes, edges labelled by tensor).</summary>
public static class DotExport
{
    public static string ToDot(WorkloadGraph graph, string title = "workload")
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(Quote(title)).AppendLine(" {");
        sb.AppendLine("  rankdir=TB;");
        sb.AppendLine("  node [shape=box, fontname=\"Helvetica\", fontsize=10];");
        sb.AppendLine("  edge [fontname=\"Helvetica\", fontsize=8];");
        foreach (var t in graph.Inputs)
            sb.Append("  ").Append(Quote("in:" + t.Name)).Append(" [shape=ellipse, label=")
              .Append(Quote($"{t.Name}\n[{t.ShapeText}] {t.Format.Name}")).AppendLine("];");
        foreach (var op in graph.Operators)
        {
            string label = $"{op.Name}\n{op.Kind}" + (op.Detail.Length > 0 ? $" {op.Detail}" : "") +
                           (op.Macs > 0 ? "\n" + op.Macs.ToString("N0", CultureInfo.InvariantCulture) + " MACs" : "");
            string style = op.Gemm is not null ? ", style=filled, fillcolor=\"#dde8f7\"" : "";
            sb.Append("  ").Append(Quote(op.Name)).Append(" [label=").Append(Quote(label)).Append(style).AppendLine("];");
        }
        var inputNames = graph.Inputs.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var op in graph.Operators)
            foreach (var t in op.Inputs.Where(t => inputNames.Contains(t.Name)))
                sb.Append("  ").Append(Quote("in:" + t.Name)).Append(" -> ").Append(Quote(op.Name)).AppendLine(";");
        foreach (var e in graph.Edges)
            sb.Append("  ").Append(Quote(e.From)).Append(" -> ").Append(Quote(e.To))
              .Append(" [label=").Append(Quote(e.Tensor)).AppendLine("];");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
