using System.Reflection;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// The design key writes every field of the resolved design: changing any one value of any record reachable from
/// <see cref="ArchitectureSpec"/> (a field added later included) changes the key. Only the file name is left out.
/// </summary>
public class DesignTextTests
{
    // every section written in full (no base to compare with)
    private static string Text(ArchitectureSpec a) => new DesignKey(null).Of(a);

    /// <summary>A design with every optional part present, so each field has a value to change.</summary>
    private static ArchitectureSpec Full(NumberFormat weights, NumberFormat activations, NumberFormat accumulator)
    {
        var a = ArchitectureLoader.Load(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "reproductions", "tpu-v1", "tpu-v1.yaml"));
        Assert.NotNull(a.Chip);
        Assert.NotNull(a.Technology);
        var levels = a.Memory.Select((m, i) => i == 0
            ? m with { Mapping = new LevelMappingSpec(LoopOrder.KMN, 8, 16, 32, "t.yaml:3:5 mapping"), MayBypass = TensorSet.Inputs, Cell = SramCell.Hp }
            : m).ToArray();
        return a with
        {
            Fpga = new FpgaSpec("u280"),
            Array = a.Array with { VectorLanes = 8, Open = DataflowSet.All },
            Memory = levels,
            Overrides = [new CostOverride("pe.area_um2", 12.5, "paper, table 2")],
            Pe = a.Pe with { WeightFormat = weights, ActivationFormat = activations, Accumulator = accumulator },
        };
    }

    public static TheoryData<string> Designs => new() { "block", "int", "posit" };

    [Theory]
    [MemberData(nameof(Designs))]
    public void ChangingAnyFieldChangesTheKey(string formats)
    {
        var design = formats switch
        {
            "block" => Full(NumberFormat.Parse("mxint8"), NumberFormat.Parse("fp16"), new ExactAccumulatorFormat(false, 80, 8)),
            "int" => Full(NumberFormat.Parse("int4"), NumberFormat.Parse("uint8"), NumberFormat.Parse("int32")),
            _ => Full(NumberFormat.Parse("posit8es1"), NumberFormat.Parse("ternary"), new ExactAccumulatorFormat(true, 128, 16)),
        };
        string original = Text(design);
        int variants = 0;
        foreach (var (path, changed) in Variants(design, typeof(ArchitectureSpec), "design"))
        {
            variants++;
            Assert.True(Text((ArchitectureSpec)changed!) != original, $"changing {path} left the key as it was");
        }
        // ten top-level fields, the PE's eleven parameters, each level's fields: well over a hundred changes
        Assert.True(variants > 100, $"{variants} variants");
        // the file name only appears in messages
        Assert.Equal(original, Text(design with { SourceFile = "elsewhere.yaml" }));
    }

    [Fact]
    public void NegativeZeroIsZeroAsRecordEqualityHasIt()
    {
        var a = Full(NumberFormat.Parse("int8"), NumberFormat.Parse("int8"), NumberFormat.Parse("int32"));
        Assert.Equal(a with { ClockMhz = 0.0 }, a with { ClockMhz = -0.0 });
        Assert.Equal(Text(a with { ClockMhz = 0.0 }), Text(a with { ClockMhz = -0.0 }));
        Assert.Contains("clock_mhz=1000;", Text(a with { ClockMhz = 1e3 }));
        Assert.Contains("clock_mhz=0.1;", Text(a with { ClockMhz = 0.1 }));
    }

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Copies of <paramref name="value"/> that differ from it in exactly one leaf value (or one list item, or one null).</summary>
    private static IEnumerable<(string Path, object? Value)> Variants(object? value, Type type, string path)
    {
        if (value is null) yield break;
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (value)
        {
            case int i: yield return (path, i + 1); yield break;
            case long l: yield return (path, l + 1); yield break;
            case double d: yield return (path, d * 2 + 1); yield break;
            case bool b: yield return (path, !b); yield break;
            case string s: yield return (path, s + "x"); yield break;
            case Enum e: yield return (path, Enum.ToObject(type, Convert.ToInt64(e) + 1)); yield break;
            case PeKind k: yield return (path, PeKind.All.First(o => o != k)); yield break;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var items = ((System.Collections.IEnumerable)value).Cast<object>().ToArray();
            var element = type.GetGenericArguments()[0];
            Array List(IEnumerable<object> xs)
            {
                var src = xs.ToArray();
                var list = Array.CreateInstance(element, src.Length);
                for (int i = 0; i < src.Length; i++) list.SetValue(src[i], i);
                return list;
            }
            yield return (path + " without its last item", List(items.Take(items.Length - 1)));
            for (int i = 0; i < items.Length; i++)
                foreach (var (p, v) in Variants(items[i], element, $"{path}[{i}]"))
                    yield return (p, List(items.Select((x, j) => j == i ? v! : x)));
            yield break;
        }
        var clone = value.GetType().GetMethod("<Clone>$") ?? throw new InvalidOperationException($"{path}: {value.GetType().Name} is not a record; teach this test its values");
        foreach (var prop in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (prop.SetMethod is null || prop.Name == nameof(ArchitectureSpec.SourceFile)) continue; // computed, or only named in messages
            object? current = prop.GetValue(value);
            var options = Variants(current, prop.PropertyType, $"{path}.{prop.Name}").ToList();
            if (current is not null && (Nullable.GetUnderlyingType(prop.PropertyType) is not null || Nullability.Create(prop).WriteState == NullabilityState.Nullable))
                options.Add(($"{path}.{prop.Name} = null", null));
            foreach (var (p, v) in options)
            {
                var copy = clone.Invoke(value, null)!;
                prop.SetValue(copy, v);
                yield return (p, copy);
            }
        }
    }
}
