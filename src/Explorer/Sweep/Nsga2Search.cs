using Mantissa.Explorer.Pareto;

namespace Mantissa.Explorer.Sweep;

/// <summary>Fitness of one design for NSGA-II: minimised objective values and how many workloads it is invalid on.</summary>
public readonly record struct Fitness(double[] Objectives, int Violations);

/// <summary>
/// NSGA-II (Deb et al., 2002) over the discrete design space: binary tournaments on (rank, crowding), uniform
/// crossover, per-gene mutation (a neighbouring value for numeric genes), elitist survival. All random choices come
/// from one seeded generator on the calling thread, so the points visited do not depend on the number of jobs.
/// </summary>
public sealed class Nsga2Search
{
    private const double CrossoverProbability = 0.9;
    private readonly DesignSpace _space;
    private readonly Nsga2Strategy _settings;
    private readonly Random _rng;
    private readonly Dictionary<string, DesignPoint> _points = new();
    private readonly Dictionary<string, Fitness> _fitness = new();

    public Nsga2Search(DesignSpace space, Nsga2Strategy settings)
    {
        _space = space;
        _settings = settings;
        _rng = new Random(settings.Seed);
    }

    /// <summary>Every distinct point evaluated, in the order first proposed.</summary>
    public IReadOnlyList<DesignPoint> Visited => _points.Values.OrderBy(p => p.Index).ToList();

    /// <summary>Runs the search; <paramref name="evaluate"/> receives each generation's new points and returns their fitness in order.</summary>
    public IReadOnlyList<DesignPoint> Run(Func<IReadOnlyList<DesignPoint>, IReadOnlyList<Fitness>> evaluate, CancellationToken cancel = default)
    {
        int pop = _settings.Population;
        var population = new List<DesignPoint>();
        var seen = new HashSet<string>();
        int attempts = 0;
        while (population.Count < pop && attempts++ < pop * 50)
        {
            var genome = RandomGenome();
            if (seen.Add(DesignSpace.GenomeKey(genome))) population.Add(Intern(genome));
        }
        Evaluate(population, evaluate);

        for (int gen = 0; gen < _settings.Generations; gen++)
        {
            cancel.ThrowIfCancellationRequested();
            var (rank, crowd) = RankAndCrowd(population);
            var offspring = new List<DesignPoint>();
            var inGeneration = new HashSet<string>(population.Select(p => DesignSpace.GenomeKey(p.Genome)));
            int tries = 0;
            while (offspring.Count < pop && tries++ < pop * 20)
            {
                var a = population[Tournament(population.Count, rank, crowd)];
                var b = population[Tournament(population.Count, rank, crowd)];
                var (c1, c2) = Crossover(a.Genome, b.Genome);
                foreach (var child in new[] { c1, c2 })
                {
                    Mutate(child);
                    if (offspring.Count < pop && inGeneration.Add(DesignSpace.GenomeKey(child))) offspring.Add(Intern(child));
                }
            }
            if (offspring.Count == 0) break;
            Evaluate(offspring, evaluate);
            var combined = population.Concat(offspring).ToList();
            var (r2, c2d) = RankAndCrowd(combined);
            population = Enumerable.Range(0, combined.Count)
                .OrderBy(i => r2[i]).ThenByDescending(i => c2d[i]).ThenBy(i => combined[i].Index)
                .Take(pop).Select(i => combined[i]).ToList();
        }
        return population;
    }

    private void Evaluate(List<DesignPoint> points, Func<IReadOnlyList<DesignPoint>, IReadOnlyList<Fitness>> evaluate)
    {
        var fresh = points.Where(p => !_fitness.ContainsKey(DesignSpace.GenomeKey(p.Genome))).ToList();
        if (fresh.Count == 0) return;
        var results = evaluate(fresh);
        for (int i = 0; i < fresh.Count; i++) _fitness[DesignSpace.GenomeKey(fresh[i].Genome)] = results[i];
    }

    private DesignPoint Intern(int[] genome)
    {
        string key = DesignSpace.GenomeKey(genome);
        if (!_points.TryGetValue(key, out var p)) _points[key] = p = _space.Point(_points.Count, genome);
        return p;
    }

    private int[] RandomGenome()
    {
        var g = new int[_space.GeneCount];
        for (int i = 0; i < g.Length; i++) g[i] = _rng.Next(_space.GeneSizes[i]);
        return g;
    }

    /// <summary>Feasible designs ranked by non-dominated sorting; infeasible ones after them, by number of violations.</summary>
    private (int[] rank, double[] crowd) RankAndCrowd(List<DesignPoint> designs)
    {
        var rank = new int[designs.Count];
        var crowd = new double[designs.Count];
        var fit = designs.Select(d => _fitness[DesignSpace.GenomeKey(d.Genome)]).ToList();
        var feasible = Enumerable.Range(0, designs.Count).Where(i => fit[i].Violations == 0).ToList();
        var ranks = ParetoSort.Ranks(feasible.Select(i => fit[i].Objectives).ToList());
        int maxRank = 0;
        for (int j = 0; j < feasible.Count; j++) { rank[feasible[j]] = ranks[j]; maxRank = Math.Max(maxRank, ranks[j]); }
        foreach (var group in Enumerable.Range(0, feasible.Count).GroupBy(j => ranks[j]))
        {
            var members = group.Select(j => feasible[j]).ToList();
            var d = ParetoSort.Crowding(fit.Select(f => f.Objectives).ToList(), members);
            for (int m = 0; m < members.Count; m++) crowd[members[m]] = d[m];
        }
        for (int i = 0; i < designs.Count; i++)
            if (fit[i].Violations > 0) rank[i] = maxRank + fit[i].Violations;
        return (rank, crowd);
    }

    private int Tournament(int n, int[] rank, double[] crowd)
    {
        int a = _rng.Next(n), b = _rng.Next(n);
        if (rank[a] != rank[b]) return rank[a] < rank[b] ? a : b;
        return crowd[a] >= crowd[b] ? a : b;
    }

    private (int[], int[]) Crossover(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var c1 = a.ToArray();
        var c2 = b.ToArray();
        if (_rng.NextDouble() < CrossoverProbability)
            for (int g = 0; g < c1.Length; g++)
                if (_rng.Next(2) == 1) (c1[g], c2[g]) = (c2[g], c1[g]);
        return (c1, c2);
    }

    private void Mutate(int[] genome)
    {
        double p = 1.0 / Math.Max(1, genome.Length);
        for (int g = 0; g < genome.Length; g++)
        {
            int size = _space.GeneSizes[g];
            if (size < 2 || _rng.NextDouble() >= p) continue;
            if (_space.OrderedGene[g] && size > 2)
                genome[g] = Math.Clamp(genome[g] + (_rng.Next(2) == 0 ? -1 : 1), 0, size - 1);
            else
            {
                int v = _rng.Next(size - 1);
                genome[g] = v >= genome[g] ? v + 1 : v;
            }
        }
    }
}
