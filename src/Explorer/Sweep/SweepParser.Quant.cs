using System.Globalization;
using Mantissa.Arch;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Explorer.Sweep;

public sealed partial class SweepParser
{
    // Loads a file tensor once here (into the shared cache the evaluator reads) so a missing file or tensor name is
    // reported at its line instead of turning every design point invalid.
    private QuantSpec? ParseQuant(YamlNode node)
    {
        if (node is not YamlMappingNode map) { Error(node, "quant", "expected a mapping such as {source: student-t, seed: 1, count: 1048576}"); return null; }
        var d = QuantSpec.Default;
        string source = d.Source;
        ulong seed = d.Seed;
        int count = d.Count;
        YamlNode sourceNode = map;
        bool ok = true;
        foreach (var (k, v) in map.Children)
        {
            string n = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(QuantKeys, n) < 0) { Unknown(k, "quant", n, QuantKeys); ok = false; continue; }
            if (ScalarText(v, "quant." + n) is not { } text) { ok = false; continue; }
            switch (n)
            {
                case "source":
                    source = SyntheticTensorSpec.Names.ContainsKey(text) ? text.ToLowerInvariant()
                        : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_file)) ?? ".", text));
                    sourceNode = v;
                    break;
                case "seed" when ulong.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    break;
                case "count" when int.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c >= 0:
                    count = c;
                    break;
                default:
                    Error(v, "quant." + n, $"expected {(n == "seed" ? "a non-negative integer" : "an integer ≥ 0 (0: the default 1048576 values, or the whole file)")}, got '{text}'");
                    ok = false;
                    break;
            }
        }
        if (!ok) return null;
        try
        {
            // a synthetic source with a valid count cannot fail to load: it is drawn only if a design needs it
            if (!SyntheticTensorSpec.Names.ContainsKey(source)) QuantErrorCache.Shared.GetTensor(source, seed, count);
        }
        catch (Exception e) when (e is MantissaException or IOException)
        {
            Error(sourceNode, "quant.source", $"{e.Message} (expected {TensorSource.Help}; paths are relative to the sweep file)");
            return null;
        }
        return new QuantSpec(source, seed, count);
    }
}
