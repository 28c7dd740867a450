using System.Text.Json;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>sweep.json and sweep-id.json are written by hand: byte for byte what the serializer writes with the files' options.</summary>
public class IndentedJsonWriterTests
{
    // every character class the serializer's default encoder treats apart: quotes, backslash, HTML-sensitive ASCII,
    // control characters, DEL, accented Latin, CJK and a surrogate pair
    private const string Awkward = "a \"quoted\" C:\\dir <tag> & 'x'+`y` tab\there\nline\u0001\u007f é ü 数 😀 ~";

    // printable ASCII that is still escaped: the quote, the backslash and the HTML-sensitive characters
    private const string AsciiAwkward = "a \"quoted\" C:\\dir <tag> & 'x'+`y` {[~]}";

    public static TheoryData<string> BundledSweeps()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps"), "*.yaml").Order())
            if (File.ReadAllText(f).Contains("parameters:")) data.Add(Path.GetFileName(f));
        return data;
    }

    private static SweepSummary Summary(string file, ShardSpec? shard = null)
    {
        var spec = SweepParser.Load(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", file));
        var schema = new ResultSchema(spec.Parameters.Select(p => p.Path).ToList(), ResultLabels.All, Enum.GetValues<Metric>());
        return SweepSummary.From(spec, schema, shard) with { SweepSha256 = SweepIdentity.HashFile(spec.SweepFile) };
    }

    private static string Serialized(SweepSummary s) => JsonSerializer.Serialize(s, SweepSummary.Json) + "\n";

    [Theory]
    [MemberData(nameof(BundledSweeps))]
    public void ABundledSweepsSummaryIsWhatTheSerializerWrites(string file)
    {
        var s = Summary(file);
        Assert.Equal(Serialized(s), s.ToJson());
        var identity = SweepIdentity.Of(SweepParser.Load(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", file)));
        Assert.Equal(JsonSerializer.Serialize(identity, SweepIdentity.Json) + "\n", identity.ToJson());
    }

    [Fact]
    public void EscapingEmptyListsNullsAndAShardMatchTheSerializer()
    {
        var s = Summary("quickstart.yaml", new ShardSpec(1, 3)) with
        {
            Name = Awkward, SweepFile = "/tmp/ré sumé/\"q\".yaml", ColorBy = AsciiAwkward, Labels = [], Constraints = [Awkward, AsciiAwkward, "area_mm2 <= 10"],
            SweepSha256 = null, KeyVersion = null,
        };
        Assert.Equal(Serialized(s), s.ToJson());
        Assert.Contains("\"constraints\": [\n    \"", s.ToJson());
        Assert.Contains("\"labels\": [],", s.ToJson());

        var identity = new SweepIdentity(Awkward, "/tmp/ré sumé/x.yaml", "") { KeyVersion = null };
        Assert.Equal(JsonSerializer.Serialize(identity, SweepIdentity.Json) + "\n", identity.ToJson());
        var ascii = new SweepIdentity(AsciiAwkward, "/tmp/a&b/x+y.yaml", "abc");
        Assert.Equal(JsonSerializer.Serialize(ascii, SweepIdentity.Json) + "\n", ascii.ToJson());
    }

    [Fact]
    public void ASavedSummaryLoadsBackEqual()
    {
        using var dir = new TempSweepDir();
        var s = Summary("quickstart.yaml") with { Name = Awkward };
        s.Save(dir.Path);
        var back = SweepSummary.Load(dir.Path);
        Assert.Equal(Awkward, back.Name);
        Assert.Equal(s.Metrics, back.Metrics);
        Assert.Equal(s.Objectives, back.Objectives);
        Assert.Equal(s.KeyVersion, back.KeyVersion);
    }
}
