using Mantissa.Sim.Compute;
using Mantissa.Sim.Fusion;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The fused-attention choice is the best one: on random small attention blocks (projection → Q·Kᵀ → softmax → P·V →
/// projection) on every bundled design with a fusion level, with buffers from far below to above the score matrix, the
/// plan's DRAM bytes equal the minimum over every feasible combination of the block's three outcomes (scores through
/// DRAM, kept whole, kept as FlashAttention tiles) and the other activations kept or not, enumerated. The tile's
/// working set is counted here from its definition (docs/simulate.md, "Fused attention").
/// </summary>
public class FusedAttentionBruteForceTests
{
    private enum Outcome { Dram, Whole, Tiled }

    [Fact]
    public void The_plan_picks_the_attention_outcome_and_keep_set_with_the_fewest_DRAM_bytes()
    {
        int cases = 0;
        var chosen = new Dictionary<Outcome, int> { [Outcome.Dram] = 0, [Outcome.Whole] = 0, [Outcome.Tiled] = 0 };
        foreach (var c in FusionPlanBruteForceTests.Cases(40, 1234, RandomBlock, g => g.Ops,
                     // from a twentieth of the score matrix to three times it (log-uniform): the outcomes compete
                     (rng, g) => g.Fusible.Where(t => g.Chain.Tensors.Contains(t.Name)).Sum(t => t.Bytes) * Math.Exp(Math.Log(0.05) + rng.NextDouble() * Math.Log(60))))
        {
            var (file, n, arch, level, capacity, _, unfused, (ops, fusible, chain)) = c;
            var scores = fusible.Where(t => chain.Tensors.Contains(t.Name)).ToList();
            var (resident, tiled, _) = FusionPlanner.Plan(arch, new ArchView(arch), ops, unfused, fusible, new[] { chain });

            var tile = Tile(unfused, chain, level, scores);
            var others = fusible.Where(t => !chain.Tensors.Contains(t.Name)).ToList();
            double best = double.PositiveInfinity;
            string? argBest = null;
            for (int mask = 0; mask < 1 << others.Count; mask++)
                foreach (var outcome in Enum.GetValues<Outcome>())
                {
                    var set = others.Where((_, b) => (mask >> b & 1) != 0).ToList();
                    if (outcome == Outcome.Whole) set.AddRange(scores);
                    bool feasible = outcome == Outcome.Tiled
                        ? tile is { } t && FusionPlanBruteForceTests.Feasible(arch, level, ops, unfused, set, (chain.Tensors, t, chain.Scores, chain.Context))
                        : FusionPlanBruteForceTests.Feasible(arch, level, ops, unfused, set);
                    if (!feasible) continue;
                    double dram = FusionPlanBruteForceTests.Dram(arch, ops, unfused, outcome == Outcome.Tiled ? set.Concat(scores).ToList() : set);
                    if (argBest is null || dram < best - 1e-9 * best) { best = dram; argBest = $"{outcome} keeping [{string.Join(",", set.Select(x => x.Name))}]"; }
                }

            var outcomeOf = tiled.Count > 0 ? Outcome.Tiled : chain.Tensors.All(resident.Contains) ? Outcome.Whole : Outcome.Dram;
            string what = $"{file} case {n}: capacity {capacity} B, tile {tile?.ToString() ?? "none"} B, plan {outcomeOf} keeping [{string.Join(",", resident.Order())}]";
            Assert.True(outcomeOf != Outcome.Dram || !chain.Tensors.Any(resident.Contains), $"{what}: the block's score tensors are kept in part");
            var keptWhole = fusible.Where(t => resident.Contains(t.Name) && !tiled.Contains(t.Name)).ToList();
            Assert.True(outcomeOf == Outcome.Tiled
                ? tile is { } tt && FusionPlanBruteForceTests.Feasible(arch, level, ops, unfused, keptWhole, (chain.Tensors, tt, chain.Scores, chain.Context))
                : FusionPlanBruteForceTests.Feasible(arch, level, ops, unfused, keptWhole), $"{what}: the plan does not fit");
            double mine = FusionPlanBruteForceTests.Dram(arch, ops, unfused, fusible.Where(t => resident.Contains(t.Name)).ToList());
            Assert.True(Math.Abs(mine - best) <= 1e-9 * best, $"{what}: {mine} DRAM bytes, brute force {best} ({argBest})");
            chosen[outcomeOf]++;
            cases++;
        }
        Assert.True(cases >= 200, $"only {cases} cases");
        // every outcome is the answer in a good share of the cases, so each branch of the choice is exercised
        foreach (var (outcome, count) in chosen)
            Assert.True(count >= cases / 20, $"the plan chose {outcome} in only {count} of {cases} cases");
    }

    // One FlashAttention tile (Dao et al. 2022, Algorithm 1) with Br×Bc the Q·Kᵀ mapping's output tile in the fusion
    // level: Q Br×d, K and V Bc×d, the output's Br×d partial sums at accumulator width and a Br×Bc tile of each
    // score-shaped tensor (at its own bits per score). Null when that mapping has no tile there.
    private static double? Tile(IReadOnlyList<LayerResult> unfused, AttentionChain chain, int level, List<FusibleTensor> scores)
    {
        var qk = unfused[chain.Scores].Gemm!.Value;
        var pv = unfused[chain.Context].Gemm!.Value;
        if (unfused[chain.Scores].Mapping!.Levels.FirstOrDefault(l => l.LevelIndex == level) is not { LevelName: not null } t) return null;
        double scoreBits = scores.Sum(s => s.Bytes * 8) / ((double)qk.Batch * qk.M * qk.N);
        return (t.M * qk.K * qk.LeftBits + t.N * qk.K * qk.RightBits + t.N * qk.K * pv.RightBits + t.M * qk.K * pv.AccumulatorBits + t.M * t.N * scoreBits) / 8;
    }

    // x → q projection → Q·Kᵀ (per head, K from DRAM) → softmax → P·V (V from DRAM) → output projection, with q, the
    // scores, the probabilities and the context as the candidates and the two score tensors as the attention block.
    private static (List<SimOperator> Ops, List<FusibleTensor> Fusible, AttentionChain Chain) RandomBlock(Random rng, Simulator sim)
    {
        long heads = rng.Next(1, 5), m = rng.Next(1, 33), keys = rng.Next(8, 129), d = 4 * rng.Next(1, 9), model = heads * d;
        var proj = sim.DefaultProblem(1, m, model, model);
        var qk = sim.DefaultProblem(heads, m, d, keys) with { RightIsWeight = false };
        qk = qk with { RightBits = qk.LeftBits };
        var pv = sim.DefaultProblem(heads, m, keys, d) with { RightIsWeight = false };
        pv = pv with { RightBits = pv.LeftBits };
        double act = m * model * proj.LeftBits / 8, weight = model * model * proj.RightBits / 8;
        double s = heads * m * keys * qk.OutputBits / 8, p = heads * m * keys * pv.LeftBits / 8, kv = heads * keys * d * qk.RightBits / 8;
        var ops = new List<SimOperator>
        {
            Gemm("q_proj", OpKind.Gemm, proj, ("x", act, Tensor.Left), ("wq", weight, Tensor.Right), ("q", act, Tensor.Output)),
            Gemm("qk", OpKind.AttentionScores, qk, ("q", act, Tensor.Left), ("k", kv, Tensor.Right), ("s", s, Tensor.Output)),
            new("softmax", OpKind.Softmax, null, heads * m * keys, s, p)
            {
                Uses = new[] { new TensorUse("s", s, false), new TensorUse("p", p, true) },
            },
            Gemm("pv", OpKind.AttentionContext, pv, ("p", p, Tensor.Left), ("v", kv, Tensor.Right), ("o", act, Tensor.Output)),
            Gemm("o_proj", OpKind.Gemm, proj, ("o", act, Tensor.Left), ("wo", weight, Tensor.Right), ("y", act, Tensor.Output)),
        };
        var fusible = new List<FusibleTensor> { new("q", act, 0, 1), new("s", s, 1, 2), new("p", p, 2, 3), new("o", act, 3, 4) };
        return (ops, fusible, new AttentionChain(1, 3, new[] { "s", "p" }));
    }

    private static SimOperator Gemm(string name, OpKind kind, GemmProblem p, params (string Name, double Bytes, Tensor Operand)[] uses) =>
        new(name, kind, p) { Uses = uses.Select(u => new TensorUse(u.Name, u.Bytes, u.Operand == Tensor.Output, u.Operand)).ToArray() };
}
