using System.Numerics;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The sweep's search space as genes: one gene per free parameter or zip group, each with a value count.
/// Maps genomes to parameter sets and grid indices to genomes (first gene varies slowest).
/// </summary>
public sealed class DesignSpace
{
    private readonly SweepParameter[][] _genes;

    public DesignSpace(SweepSpec spec)
    {
        var genes = new List<SweepParameter[]>();
        var byPath = spec.Parameters.ToDictionary(p => p.Path);
        var done = new HashSet<string>();
        foreach (var p in spec.Parameters)
        {
            if (done.Contains(p.Path)) continue;
            var group = spec.Zip.FirstOrDefault(g => g.Contains(p.Path));
            var members = group is null ? new[] { p } : group.Select(g => byPath[g]).ToArray();
            foreach (var m in members) done.Add(m.Path);
            genes.Add(members);
        }
        _genes = genes.ToArray();
        Parameters = spec.Parameters;
        GeneSizes = _genes.Select(g => g[0].Values.Count).ToArray();
        OrderedGene = _genes.Select(g => g.All(m => m.Numeric)).ToArray();
        Size = GeneSizes.Aggregate(BigInteger.One, (a, n) => a * n);
        // where each parameter's value comes from: its gene and its place in that gene (zip groups hold several)
        _source = new (int Gene, SweepParameter Member)[spec.Parameters.Count];
        for (int k = 0; k < _source.Length; k++)
        {
            string path = spec.Parameters[k].Path;
            for (int g = 0; g < _genes.Length; g++)
                foreach (var m in _genes[g])
                    if (m.Path == path) _source[k] = (g, m);
        }
        _sizes = GeneSizes.ToArray();
    }

    private readonly (int Gene, SweepParameter Member)[] _source;
    private readonly int[] _sizes;

    public IReadOnlyList<SweepParameter> Parameters { get; }

    /// <summary>Number of values of each gene.</summary>
    public IReadOnlyList<int> GeneSizes { get; }

    /// <summary>True for genes whose values are numbers (mutation steps to a neighbour).</summary>
    public IReadOnlyList<bool> OrderedGene { get; }

    /// <summary>Number of distinct designs (product of gene sizes).</summary>
    public BigInteger Size { get; }

    public int GeneCount => _genes.Length;

    /// <summary>The sets a genome stands for, in the order parameters appear in the sweep file.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SetsOf(IReadOnlyList<int> genome)
    {
        // an array filled from the precomputed sources: a grid builds a point's sets on every point
        var sets = new KeyValuePair<string, string>[_source.Length];
        for (int k = 0; k < sets.Length; k++)
        {
            var (g, m) = _source[k];
            sets[k] = new KeyValuePair<string, string>(m.Path, m.Values[genome[g]]);
        }
        return sets;
    }

    public DesignPoint Point(int index, IReadOnlyList<int> genome) => new(index, genome.ToArray(), SetsOf(genome));

    /// <summary>The genome at grid position <paramref name="index"/> (mixed radix, last gene fastest).</summary>
    public int[] GenomeAt(BigInteger index)
    {
        var genome = new int[_genes.Length];
        if (index >= 0 && index <= long.MaxValue)
        {
            // the grid's points fit in a long (PointGenerator.MaxPoints): no BigInteger division per gene
            long at = (long)index;
            for (int g = _genes.Length - 1; g >= 0; g--)
            {
                genome[g] = (int)(at % _sizes[g]);
                at /= _sizes[g];
            }
            return genome;
        }
        for (int g = _genes.Length - 1; g >= 0; g--)
        {
            genome[g] = (int)(index % GeneSizes[g]);
            index /= GeneSizes[g];
        }
        return genome;
    }

    /// <summary>A compact text key for a genome (duplicate detection).</summary>
    public static string GenomeKey(IReadOnlyList<int> genome) => string.Join(",", genome);
}
