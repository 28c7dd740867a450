using System.Text.Json;

namespace Mantissa.Explorer.Tests;

public class QuantCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => CliTests.Run(args);

    [Fact]
    public void JsonForGaussianInt8AndFp8()
    {
        var (code, output, err) = Run("quant", "gaussian", "--format", "int8,fp8e4m3", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("formats").EnumerateArray().ToList();
        Assert.Equal(new[] { "int8", "fp8e4m3" }, rows.Select(r => r.GetProperty("format").GetString()));
        foreach (var r in rows)
        {
            Assert.True(r.GetProperty("mse").GetDouble() > 0);
            Assert.True(r.GetProperty("max_abs_error").GetDouble() > 0);
        }
        // int8 per channel of N(0,1), rows of 4096: amax ≈ 3.9σ, so 6.02·8 + 4.77 − 20·log10(3.9) − 0.07 ≈ 41.2 dB; e4m3 (3 mantissa bits) ≈ 31.5 dB.
        Assert.InRange(rows[0].GetProperty("sqnr_db").GetDouble(), 39, 43);
        Assert.InRange(rows[1].GetProperty("sqnr_db").GetDouble(), 30, 33);
    }

    [Fact]
    public void TableListsEveryFormatAndRepeatedFormatOptions()
    {
        var (code, output, err) = Run("quant", "student-t", "--format", "int4,fp4e2m1", "--format", "mxfp4", "--format", "nvfp4", "--group", "32", "--count", "65536");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("tensor: student-t(nu=3) seed=1 [16x4096], 65536 values", lines[0]);
        Assert.Contains("SQNR dB", lines[1]);
        Assert.StartsWith("int4     group 32", lines[2]);
        Assert.StartsWith("fp4e2m1  group 32", lines[3]);
        Assert.StartsWith("mxfp4    block 32", lines[4]);
        Assert.StartsWith("nvfp4    block 16", lines[5]);
        Assert.Contains(" 4.250 ", lines[4]);
    }

    [Fact]
    public void RecipePresetNamesAreAccepted()
    {
        var (code, output, err) = Run("quant", "laplace", "--format", "w4a16g128,bitmod-w4", "--count", "65536", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("formats").EnumerateArray().ToList();
        Assert.Equal("group 128", rows[0].GetProperty("granularity").GetString());
        Assert.Equal(4.125, rows[0].GetProperty("bits_per_element").GetDouble());
        Assert.Equal(4 + 18 / 128.0, rows[1].GetProperty("bits_per_element").GetDouble());
    }

    [Fact]
    public void ReadsASafetensorsTensorByName()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mantissa-cli-{Guid.NewGuid():N}.safetensors");
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,32]}}";
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(header));
        foreach (var v in new float[] { -7, -3, 0, 1, 2, 5, 7, -1 }) bytes.AddRange(BitConverter.GetBytes(v));
        File.WriteAllBytes(path, bytes.ToArray());
        try
        {
            var (code, output, err) = Run("quant", path + ":w", "--format", "int4", "--granularity", "tensor", "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var row = doc.RootElement.GetProperty("formats")[0];
            Assert.Equal(0.0, row.GetProperty("mse").GetDouble()); // a uniform int4 grid quantized to itself
            Assert.True(row.GetProperty("exact").GetBoolean());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("sqnr_db").ValueKind);

            var (codeList, listing, errList) = Run("quant", path, "--list");
            Assert.True(codeList == 0, errList);
            Assert.Contains("w     F32    [2x4]", listing);

            var (code2, _, err2) = Run("quant", path + ":nope", "--format", "int4");
            Assert.Equal(1, code2);
            Assert.Contains("no tensor named 'nope'", err2);
            Assert.Contains("w F32[2x4]", err2);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BadInputIsAClearError()
    {
        var (code, _, err) = Run("quant", "gaussian", "--format", "int65");
        Assert.Equal(1, code);
        Assert.Contains("unknown number format 'int65'", err);
        (code, _, err) = Run("quant", "gaussian");
        Assert.Equal(2, code);
        Assert.Contains("--format is required", err);
        (code, _, err) = Run("quant", "--format", "int4");
        Assert.Equal(2, code);
        Assert.Contains("missing SOURCE", err);
        (code, _, err) = Run("quant", "gausian", "--format", "int4");
        Assert.Equal(1, code);
        Assert.Contains("unknown tensor source 'gausian'", err);
        (code, _, err) = Run("quant", "gaussian", "--format", "int4", "--granularity", "row");
        Assert.Equal(2, code);
        Assert.Contains("unknown granularity 'row'", err);
    }
}

public class QuantCommandGemmTests
{
    [Fact]
    public void GemmColumnAppearsWithTokens()
    {
        var (code, output, err) = CliTests.Run("quant", "gaussian", "--format", "int8", "--gemm-tokens", "4", "--count", "65536", "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        double g = doc.RootElement.GetProperty("formats")[0].GetProperty("gemm_sqnr_db").GetDouble();
        double w = doc.RootElement.GetProperty("formats")[0].GetProperty("sqnr_db").GetDouble();
        Assert.InRange(g, w - 1.5, w + 1.5);
    }

    [Fact]
    public void PeColumnRunsTheGemmThroughTheDatapath()
    {
        var (code, output, err) = CliTests.Run("quant", "gaussian", "--format", "int4,fp8e4m3", "--group", "128", "--count", "65536",
            "--gemm-tokens", "2", "--pe", "bit_serial", "--pe-rows", "4", "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var int4 = doc.RootElement.GetProperty("formats")[0];
        Assert.StartsWith("bit_serial w=int4 a=fp16", int4.GetProperty("pe").GetString());
        Assert.InRange(int4.GetProperty("pe_gemm_sqnr_db").GetDouble() - int4.GetProperty("pe_ideal_sqnr_db").GetDouble(), -0.2, 0.2);
        Assert.Contains("bit_serial weights must be", doc.RootElement.GetProperty("formats")[1].GetProperty("pe_error").GetString());

        var (code2, _, err2) = CliTests.Run("quant", "gaussian", "--format", "int4", "--pe", "bit_serial");
        Assert.Equal(2, code2);
        Assert.Contains("--pe needs --gemm-tokens", err2);
    }
}
