using Mantissa.Arch.Config;

namespace Mantissa.Arch.Tests.Config;

/// <summary>A small valid architecture (line numbers are relied on by the tests) and helpers to break it.</summary>
internal static class ConfigFixtures
{
    /// <summary>Every PE kind name as the binder lists them in an "expected one of ..." message (from the kind registry, so a new kind needs no test edit).</summary>
    public static string PeKindNames => string.Join(", ", Mantissa.Arch.Model.PeKind.All.Select(k => k.Name));

    public static readonly string[] ValidLines =
    [
        "name: t",                                   // 1
        "target: asic",                              // 2
        "technology:",                               // 3
        "  node_nm: 28",                             // 4
        "  vdd: 0.9",                                // 5
        "clock_mhz: 1000",                           // 6
        "pe:",                                       // 7
        "  kind: int_mac",                           // 8
        "  weights: int8",                           // 9
        "  activations: int8",                       // 10
        "  accumulator: int32",                      // 11
        "array:",                                    // 12
        "  rows: 16",                                // 13
        "  cols: 16",                                // 14
        "  dataflow: ws",                            // 15
        "memory:",                                   // 16
        "  - name: dram",                            // 17
        "    kind: dram",                            // 18
        "    type: ddr4",                            // 19
        "    bandwidth_gbps: 25.6",                  // 20
        "  - name: buf",                             // 21
        "    kind: sram",                            // 22
        "    capacity_kib: 64",                      // 23
        "    width_bits: 128",                       // 24
        "    holds: [weights, inputs, outputs]",     // 25
    ];

    public static string Valid => string.Join("\n", ValidLines) + "\n";

    /// <summary>The valid file with 1-based line <paramref name="line"/> replaced (null deletes it; may hold several lines).</summary>
    public static string WithLine(int line, string? replacement)
    {
        var lines = ValidLines.ToList();
        if (replacement is null) lines.RemoveAt(line - 1);
        else lines[line - 1] = replacement;
        return string.Join("\n", lines) + "\n";
    }

    public static IReadOnlyList<ConfigDiagnostic> Problems(string yaml, IReadOnlyList<KeyValuePair<string, string>>? sets = null, string? baseDir = null)
    {
        var ex = Assert.Throws<ConfigException>(() => ArchitectureLoader.LoadText(yaml, "t.yaml", sets, baseDir));
        return ex.Diagnostics;
    }

    public static KeyValuePair<string, string> Set(string assignment)
    {
        int eq = assignment.IndexOf('=');
        return new(assignment[..eq], assignment[(eq + 1)..]);
    }
}
