using System.Globalization;
using System.Text.Json;
using Mantissa.Workloads.Onnx;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Explorer.Commands;

/// <summary>Text and JSON output of <c>mantissa quant --all-tensors</c> (per-layer SQNR) and <c>--list</c> for ONNX models.</summary>
internal static class QuantLayerOutput
{
    public static void WriteTable(TextWriter o, string source, LayerQuantStudy study)
    {
        o.WriteLine($"model: {source}, {study.Rows.Count} layer weights, {study.TotalValues} values; SQNR dB per format");
        var header = new[] { "tensor", "shape" }.Concat(study.Schemes.Select(s => s.Label)).ToArray();
        var rows = study.Rows.Select(r => new[] { r.Tensor, "[" + string.Join("x", r.Shape) + "]" }
            .Concat(r.Reports.Select(q => Db(q.Error.SqnrDb))).ToArray()).ToList();
        rows.Add(new[] { "all layers", "" }.Concat(study.Schemes.Select((_, i) => Db(study.PooledSqnrDb(i)))).ToArray());
        rows.Add(new[] { "bits/elem", "" }.Concat(study.Schemes.Select((_, i) => study.PooledBitsPerElement(i).ToString("F3", CultureInfo.InvariantCulture))).ToArray());
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        o.WriteLine(Line(header));
        foreach (var r in rows) o.WriteLine(Line(r));
    }

    public static void WriteJson(TextWriter o, string source, LayerQuantStudy study)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", source);
            w.WriteStartArray("formats");
            for (int i = 0; i < study.Schemes.Count; i++)
            {
                var s = study.Schemes[i];
                w.WriteStartObject();
                w.WriteString("format", s.Label);
                w.WriteString("granularity", s.GranularityText);
                w.WriteNumber("bits_per_element", study.PooledBitsPerElement(i));
                Number(w, "sqnr_db", study.PooledSqnrDb(i));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("layers");
            foreach (var r in study.Rows)
            {
                w.WriteStartObject();
                w.WriteString("tensor", r.Tensor);
                w.WriteStartArray("shape");
                foreach (var d in r.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteNumber("values", r.Values);
                w.WriteStartObject("sqnr_db");
                for (int i = 0; i < study.Schemes.Count; i++) Number(w, study.Schemes[i].Label, r.Reports[i].Error.SqnrDb);
                w.WriteEndObject();
                w.WriteStartObject("mse");
                for (int i = 0; i < study.Schemes.Count; i++) Number(w, study.Schemes[i].Label, r.Reports[i].Error.Mse);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    /// <summary>Lists an ONNX model's floating-point constants: name, element type, stored shape, consumer and matrix view.</summary>
    public static int ListOnnx(string path, TextWriter o)
    {
        var weights = OnnxWeight.Find(OnnxReader.Read(path));
        int w = Math.Max(4, weights.Count == 0 ? 0 : weights.Max(x => x.Name.Length));
        o.WriteLine("name".PadRight(w) + "  dtype     shape          used by             layer weight");
        foreach (var x in weights)
            o.WriteLine($"{x.Name.PadRight(w)}  {x.Tensor.DataType,-8}  {x.Tensor.ShapeText,-13}  {x.ConsumerOp,-18}  {(x.IsLayerWeight ? "yes" : "")}".TrimEnd());
        return 0;
    }

    // JSON has no infinity or NaN: an exact layer (or one whose values are not finite) writes null.
    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static string Db(double db) => double.IsPositiveInfinity(db) ? "inf" : db.ToString("F2", CultureInfo.InvariantCulture);
}
