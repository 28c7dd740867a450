using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;
using Mantissa.Verification;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>
/// The <c>pe:</c> keys a kind takes are the ones its descriptor declares (<see cref="PeKind.Keys"/>): the binder accepts
/// exactly those, the unknown-key message lists the common keys and every declared key, and a declared value binds to
/// the field the declaration names (issue 11).
/// </summary>
public class PeKeyDeclarationTests
{
    private static readonly string[] CommonKeys = ["kind", "weights", "activations", "accumulator", "dot_width", "pipeline_depth"];

    public static TheoryData<string> Kinds() => new(PeKind.All.Select(k => k.Name));

    /// <summary>Operands the kind runs: its first checked configuration's, or (for a kind without a functional model) the
    /// first names of its format patterns.</summary>
    private static (string Weights, string Activations) Operands(PeKind kind) =>
        PeConfigurations.All.FirstOrDefault(c => c.Kind == kind) is { } c
            ? (c.Spec.WeightFormat.Name, c.Spec.ActivationFormat.Name)
            : (kind.WeightFormats.Split(',')[0].Trim(), kind.ActivationFormats.Split(',')[0].Trim());

    private static PeSpec Bind(PeKind kind, params (string Key, string Value)[] extra)
    {
        var (w, a) = Operands(kind);
        return PeOptions.Bind([("kind", kind.Name), ("weights", w), ("activations", a), .. extra], "test", n => BitModFormat.TryParse(n, out var b) ? b : null);
    }

    private static IReadOnlyList<ConfigDiagnostic> Problems(PeKind kind, params (string Key, string Value)[] extra) =>
        Assert.Throws<ConfigException>(() => Bind(kind, extra)).Diagnostics;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheBinderAcceptsExactlyTheKeysTheDescriptorDeclares(string name)
    {
        var kind = PeKind.Parse(name);
        var plain = Bind(kind);
        var accepted = new List<string>();
        foreach (var key in PeKind.AllKeys)
        {
            // The key written with the value the PE already has: a taken key changes nothing.
            var value = key.Show(plain.Parameters);
            ConfigDiagnostic[] problems;
            try
            {
                var spec = Bind(kind, (key.Name, value));
                Assert.Equal(plain, spec);
                problems = [];
            }
            catch (ConfigException e) { problems = e.Diagnostics.ToArray(); }

            var notApplicable = problems.Where(d => d.KeyPath == "pe." + key.Name && d.Message.Contains("does not apply", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(problems, d => d.Kind == DiagnosticKind.UnknownKey);
            if (notApplicable.Count == 0)
            {
                // A taken key may still be refused for this PE by its own rule (overflow on a float accumulator), never as unknown.
                Assert.All(problems, d => Assert.Equal("pe." + key.Name, d.KeyPath));
                accepted.Add(key.Name);
            }
            else
            {
                var takers = string.Join(", ", PeKind.All.Where(k => k.Keys.Any(own => own.Name == key.Name)).Select(k => k.Name));
                Assert.Equal($"'{key.Name}' does not apply to pe kind {name} (it applies to: {takers})", Assert.Single(problems).Message);
            }
        }
        Assert.Equal(kind.Keys.Select(k => k.Name).Order(), accepted.Order());
    }

    [Fact]
    public void AnUnknownKeyListsTheCommonKeysThenEveryDeclaredKeyOnce()
    {
        var d = Assert.Single(Problems(PeKind.IntMac, ("lut_entrie", "int8")));
        Assert.Equal(DiagnosticKind.UnknownKey, d.Kind);
        var declared = PeKind.All.SelectMany(k => k.Keys.Select(key => key.Name)).Distinct();
        Assert.Equal($"unknown key 'lut_entrie'; did you mean 'lut_entries'? (valid keys here: {string.Join(", ", CommonKeys.Concat(declared))})", d.Message);
    }

    [Fact]
    public void EveryKeyIsDeclaredOnceWithItsOwnOption()
    {
        var keys = PeKind.AllKeys;
        Assert.Equal(keys.Count, keys.Select(k => k.Name).Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(k => k.Option).Distinct().Count());
        Assert.Empty(keys.Select(k => k.Name).Intersect(CommonKeys));
        // Two kinds sharing a key name share its declaration, so the key means one thing.
        foreach (var kind in PeKind.All)
            foreach (var key in kind.Keys)
                Assert.Same(keys.Single(k => k.Name == key.Name), key);
    }

    /// <summary>Each declared value binds to the field its declaration names: written, then read back from the spec.</summary>
    [Fact]
    public void EveryDeclaredValueReachesTheSpec()
    {
        int checkedValues = 0;
        foreach (var kind in PeKind.All)
            foreach (var key in kind.Keys)
            {
                IEnumerable<string> values = key switch
                {
                    PeChoiceKey c => c.Options,
                    PeFlagKey => ["true", "false"],
                    PeIntegerKey i => [i.Min.ToString(), i.Max.ToString()],
                    _ => throw new InvalidOperationException(key.Name),
                };
                foreach (var v in values)
                {
                    PeSpec spec;
                    try { spec = Bind(kind, (key.Name, v)); }
                    catch (ConfigException e)
                    {
                        // Refused by a rule relating keys (e.g. bits_per_cycle wider than the serial operand), at this key or the
                        // accumulator it contradicts; never silently ignored.
                        Assert.All(e.Diagnostics, d => Assert.Contains(d.KeyPath, new[] { "pe." + key.Name, "pe.accumulator", "pe.activations" }));
                        continue;
                    }
                    Assert.Equal(v, key.Show(spec.Parameters));
                    checkedValues++;
                }
            }
        Assert.True(checkedValues >= 20, $"only {checkedValues} values bound");
    }

    [Fact]
    public void AKeyOfAnotherKindNamesTheKindsThatTakeIt()
    {
        var d = Assert.Single(Problems(PeKind.IntMac, ("g", "4")));
        Assert.Equal(("pe.g", "'g' does not apply to pe kind int_mac (it applies to: lut)"), (d.KeyPath, d.Message));
        var o = Assert.Single(Problems(PeKind.MinifloatMac, ("overflow", "wrap")));
        Assert.Equal("'overflow' does not apply to pe kind minifloat_mac (it applies to: ant_mac, bit_fusion, bit_serial, int_mac, lut, olive_mac, shift_add)", o.Message);
    }
}
