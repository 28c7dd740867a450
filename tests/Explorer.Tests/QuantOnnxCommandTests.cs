using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Mantissa.Explorer.Tests;

/// <summary><c>mantissa quant</c> on a real ONNX model (tests/fixtures/onnx) and on checkpoints with non-finite values.</summary>
public class QuantOnnxCommandTests
{
    private static string Model([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "fixtures", "onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"));

    [Fact]
    public void AllTensorsPrintsOneRowPerLayerThenThePooledRows()
    {
        var (code, output, err) = CliTests.Run("quant", Model(), "--all-tensors", "--format", "int4@tensor,int4@g32,mxfp4,mxfp8e4m3");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("54 layer weights, 124072 values; SQNR dB per format", lines[0]);
        Assert.Matches(@"^tensor\s+shape\s+int4@tensor\s+int4@g32\s+mxfp4\s+mxfp8e4m3$", lines[1]);
        Assert.StartsWith("conv2d_0.w_0   [8x27]", lines[2]);
        Assert.Equal(2 + 54 + 2, lines.Length);
        Assert.StartsWith("all layers", lines[^2]);
        var bits = lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "bits/elem", "4.007", "4.635", "4.317", "8.317" }, bits);
        var fc = lines.Single(l => l.StartsWith("fc_0.w_0")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[2x200]", fc[1]); // MatMul's [K=200, N=2] weight, one row per output
    }

    [Fact]
    public void AllTensorsJsonPoolsTheLayers()
    {
        var (code, output, err) = CliTests.Run("quant", Model(), "--all-tensors", "--format", "int8,int4", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(54, layers.Count);
        Assert.Equal(124_072, layers.Sum(l => l.GetProperty("values").GetInt32()));
        var formats = doc.RootElement.GetProperty("formats").EnumerateArray().ToList();
        Assert.Equal("channel", formats[0].GetProperty("granularity").GetString());
        double int8 = formats[0].GetProperty("sqnr_db").GetDouble(), int4 = formats[1].GetProperty("sqnr_db").GetDouble();
        Assert.InRange(int8 - int4, 20, 30);
        // The pooled figure lies between the worst and the best layer.
        var per = layers.Select(l => l.GetProperty("sqnr_db").GetProperty("int8").GetDouble()).ToList();
        Assert.InRange(int8, per.Min(), per.Max());
    }

    [Fact]
    public void OneTensorByNameAndTheListing()
    {
        var (code, output, err) = CliTests.Run("quant", Model() + ":fc_0.w_0", "--format", "int8", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("fc_0.w_0", doc.RootElement.GetProperty("formats")[0].GetProperty("tensor").GetString());
        Assert.Equal(400, doc.RootElement.GetProperty("formats")[0].GetProperty("values").GetInt32());

        (code, output, err) = CliTests.Run("quant", Model(), "--list");
        Assert.True(code == 0, err);
        Assert.Matches(@"\nconv2d_0\.w_0\s+Float\s+\[8x3x3x3\]\s+Conv\s+yes\n", output);
        Assert.Matches(@"\nfc_0\.w_0\s+Float\s+\[200x2\]\s+MatMul\s+yes\n", output);
    }

    [Fact]
    public void MisuseIsAClearError()
    {
        var (code, _, err) = CliTests.Run("quant", Model(), "--all-tensors", "--format", "int4", "--gemm-tokens", "4");
        Assert.Equal(2, code);
        Assert.Contains("--gemm-tokens does not combine with --all-tensors", err);
        (code, _, err) = CliTests.Run("quant", "gaussian", "--all-tensors", "--format", "int4");
        Assert.Equal(1, code);
        Assert.Contains("per-layer tables need FILE.onnx or FILE.safetensors", err);
        (code, _, err) = CliTests.Run("quant", Model(), "--format", "mxfp4@channel");
        Assert.Equal(1, code);
        Assert.Contains("mxfp4 keeps its own block 32 scaling", err);
        var text = Path.Combine(Path.GetTempPath(), $"mantissa-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(text, "not a model at all\n");
        (code, _, err) = CliTests.Run("quant", text, "--all-tensors", "--format", "int4");
        Assert.Equal(1, code);
        Assert.Contains($"{text}: not an ONNX model", err);
    }

    [Fact]
    public void NonFiniteWeightsDoNotCrash()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mantissa-cli-{Guid.NewGuid():N}.safetensors");
        var header = "{\"bad\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,32]},\"good\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[32,64]}}";
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(header));
        foreach (var v in new[] { 1f, float.NaN, -2f, float.PositiveInfinity, 0.5f, 3f, float.NegativeInfinity, 1f }) bytes.AddRange(BitConverter.GetBytes(v));
        foreach (var v in new[] { -7f, -3f, 0f, 1f, 2f, 5f, 7f, -1f }) bytes.AddRange(BitConverter.GetBytes(v));
        File.WriteAllBytes(path, bytes.ToArray());
        try
        {
            foreach (var args in new[]
            {
                new[] { "quant", path, "--all-tensors", "--format", "int4@tensor,int8,mxfp4,nvfp4,fp8e4m3,posit8es1" },
                new[] { "quant", path, "--all-tensors", "--format", "int4,mxfp4", "--json" },
                new[] { "quant", path + ":bad", "--format", "int4,mxfp4,nvfp4,fp8e4m3,posit8es1,bitmod-w4" },
                new[] { "quant", path + ":bad", "--format", "int4,mxfp4", "--json" },
            })
            {
                var (code, output, err) = CliTests.Run(args);
                Assert.True(code == 0, string.Join(" ", args) + ": " + err);
                Assert.DoesNotContain("Exception", output + err);
            }
            var (_, table, _) = CliTests.Run("quant", path, "--all-tensors", "--format", "int4@tensor");
            Assert.Matches(@"\ngood\s+\[2x4\]\s+inf\n", table); // the finite tensor is still measured: a uniform int4 grid is exact
        }
        finally { File.Delete(path); }
    }
}
