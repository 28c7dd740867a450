using System.Numerics;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>Produces the design points of grid and random strategies in a deterministic order.</summary>
public static class PointGenerator
{
    /// <summary>Largest number of points a grid or random sweep may list.</summary>
    public const int MaxPoints = 10_000_000;

    public static IReadOnlyList<DesignPoint> Generate(DesignSpace space, StrategySpec strategy) => strategy switch
    {
        GridStrategy => Grid(space),
        RandomStrategy r => Random(space, r.Samples, r.Seed),
        _ => throw new InvalidOperationException($"{strategy.Describe()} does not list its points in advance"),
    };

    public static IReadOnlyList<DesignPoint> Grid(DesignSpace space)
    {
        if (space.Size > MaxPoints)
            throw new MantissaException($"the grid has {space.Size} points (more than {MaxPoints:N0}); use strategy random or nsga2, or fewer values");
        int n = (int)space.Size;
        var points = new DesignPoint[n];
        for (int i = 0; i < n; i++) points[i] = space.Point(i, space.GenomeAt(i));
        return points;
    }

    /// <summary><paramref name="samples"/> distinct points in draw order; the whole grid when it is not larger.</summary>
    public static IReadOnlyList<DesignPoint> Random(DesignSpace space, int samples, int seed)
    {
        if (space.Size <= samples) return Grid(space);
        var rng = new Random(seed);
        var seen = new HashSet<string>();
        var points = new List<DesignPoint>(samples);
        while (points.Count < samples)
        {
            var genome = new int[space.GeneCount];
            for (int g = 0; g < genome.Length; g++) genome[g] = rng.Next(space.GeneSizes[g]);
            if (seen.Add(DesignSpace.GenomeKey(genome))) points.Add(space.Point(points.Count, genome));
        }
        return points;
    }
}
