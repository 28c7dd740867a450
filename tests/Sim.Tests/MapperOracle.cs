using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>What the mapper-optimality tests share: the brute-force check of a chosen score and pinning a chosen mapping.</summary>
internal static class MapperOracle
{
    /// <summary>
    /// Asserts <paramref name="chosenScore"/> is the best of <paramref name="scores"/> (an enumerated mapspace) under the
    /// objective rule of <paramref name="options"/>: the first key may exceed its minimum by the tolerance the second key
    /// is allowed to buy (EDP has one key), and the second key is the minimum among the mappings within that tolerance.
    /// </summary>
    public static void AssertOptimal(Mapper mapper, SimOptions options, IEnumerable<MappingScore> scores, MappingScore chosenScore, string what)
    {
        var keys = scores.Select(mapper.Keys).ToList();
        double slack = 1 + options.ObjectiveTolerance;
        double primary = keys.Min(k => k.Primary);
        double secondary = keys.Where(k => k.Primary <= primary * slack).Min(k => k.Secondary);
        var chosen = mapper.Keys(chosenScore);
        double allowed = options.Objective == MappingObjective.Edp ? primary * (1 + 1e-9) : primary * slack;
        Assert.True(chosen.Primary >= primary * (1 - 1e-9) && chosen.Primary <= allowed, $"{what}: primary {chosen.Primary} vs brute force {primary}");
        Assert.True(Math.Abs(chosen.Secondary - secondary) <= 1e-9 * Math.Abs(secondary), $"{what}: secondary {chosen.Secondary} vs brute force {secondary}");
    }

    /// <summary><paramref name="spec"/> (level <paramref name="level"/>) with the loop order and tile <paramref name="map"/> chose there fixed as a mapping constraint.</summary>
    public static MemoryLevelSpec Pin(MemoryLevelSpec spec, int level, GemmMapping map)
    {
        int depth = map.Levels.ToList().FindIndex(t => t.LevelIndex == level);
        if (depth < 0) return spec;
        var t = map.Levels[depth];
        var order = (LoopOrder)Array.FindIndex(Mapspace.Orders, o => o.SequenceEqual(t.Order));
        return spec with { Mapping = depth == 0 ? new LevelMappingSpec(order, null, null, null, "test") : new LevelMappingSpec(order, t.M, t.K, t.N, "test") };
    }
}
