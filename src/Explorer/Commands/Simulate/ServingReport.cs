using System.Globalization;
using System.Text.Json;
using Mantissa.Sim.Serving;

namespace Mantissa.Explorer.Commands.Simulate;

/// <summary>The serving section of <c>mantissa simulate --serving</c>: TTFT, TPOT, decode throughput and the DRAM fit, as text or JSON.</summary>
public static class ServingReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteText(TextWriter o, ServingFigures s)
    {
        o.WriteLine();
        o.WriteLine($"Serving (batch {s.Batch}, prompt {s.Seq} tokens, decode context {s.Kv} tokens):");
        o.WriteLine($"  TTFT (prefill)       {SimResultText.Time(s.TtftS)}  ({s.Batch} x {s.Seq} prompt tokens)");
        o.WriteLine($"  TPOT (decode step)   {SimResultText.Time(s.TpotS)}  ({s.Batch} sequence(s) at kv {s.Kv})");
        o.WriteLine($"  decode throughput    {s.DecodeTokensPerS.ToString("0.##", Inv)} tokens/s");
        string fit = s.DramCapacityBytes <= 0
            ? "DRAM capacity not given (set the DRAM level's capacity_gib)"
            : $"DRAM {GiB(s.DramCapacityBytes)} -> max batch {s.MaxBatch}" + (s.MaxBatch == 0 ? " (the weights alone do not fit)" : "");
        o.WriteLine($"  memory               weights {GiB(s.WeightBytes)} + KV {GiB(s.KvBytesPerSequence)} per sequence; {fit}");
    }

    /// <summary>Writes the <c>serving</c> object (max_batch is null when the DRAM capacity is not given).</summary>
    public static void WriteJson(Utf8JsonWriter w, ServingFigures s)
    {
        w.WriteStartObject("serving");
        w.WriteNumber("batch", s.Batch);
        w.WriteNumber("seq", s.Seq);
        w.WriteNumber("kv", s.Kv);
        w.WriteNumber("ttft_s", s.TtftS);
        w.WriteNumber("tpot_s", s.TpotS);
        w.WriteNumber("decode_tokens_per_s", s.DecodeTokensPerS);
        w.WriteNumber("weight_bytes", s.WeightBytes);
        w.WriteNumber("kv_bytes_per_sequence", s.KvBytesPerSequence);
        w.WriteNumber("dram_capacity_bytes", s.DramCapacityBytes);
        if (s.MaxBatch is { } mb) w.WriteNumber("max_batch", mb);
        else w.WriteNull("max_batch");
        w.WriteEndObject();
    }

    private static string GiB(double bytes) => (bytes / (1L << 30)).ToString("0.##", Inv) + " GiB";
}
