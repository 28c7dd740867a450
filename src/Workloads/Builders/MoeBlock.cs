namespace Mantissa.Workloads;

/// <summary>
/// A sparse mixture-of-experts FFN: router (gate GEMM + top-k), the routed experts, and the always-active shared
/// experts where the family has them (qwen2_moe's gated <c>shared_expert</c>, DeepSeek's <c>shared_experts</c>).
/// The B·T·k token slots spread evenly over the experts (balanced routing); experts that receive no token run no
/// operator, but their weights are still stored.
/// </summary>
internal static class MoeBlock
{
    public static TensorSpec Build(LlmBuilder.Ctx x, string p, TensorSpec hIn)
    {
        var (g, c) = (x.G, x.C);
        long tokens = x.B * x.T, e = c.Experts, k = c.ExpertsPerToken, width = c.MoeIntermediate;
        bool mixtral = c.Family == LlmFamily.Mixtral;
        var logits = g.Linear($"{p}.gate", hIn, e, bias: false);
        var lp = g.Recipe.For($"{p}.router");
        var weights = lp.VectorTensor($"{p}.router.out", new[] { x.B, x.T, k });
        var routerIn = new List<TensorSpec> { g.Stored(logits) };
        // DeepSeek-V3 adds a learned per-expert bias to the scores before top-k (auxiliary-loss-free balancing).
        if (c.RouterBias) routerIn.Add(lp.VectorParam($"{p}.gate.e_score_correction_bias", new[] { e }));
        g.Add(new Operator($"{p}.router", OpKind.Router, routerIn, new[] { weights }) { VectorOps = tokens * e * 6, Detail = $"top{k}/{e}" });
        long slots = tokens * k;
        var (w1, w3, w2) = mixtral ? ("w1", "w3", "w2") : ("gate_proj", "up_proj", "down_proj");
        var outs = new List<TensorSpec>();
        for (int j = 0; j < e; j++)
        {
            string ep = $"{p}.experts.{j}";
            long n = slots / e + (j < slots % e ? 1 : 0);
            if (n == 0)
            {
                g.Store(g.Recipe.For($"{ep}.{w1}").Weight($"{ep}.{w1}.weight", new[] { width, c.Hidden }));
                g.Store(g.Recipe.For($"{ep}.{w3}").Weight($"{ep}.{w3}.weight", new[] { width, c.Hidden }));
                g.Store(g.Recipe.For($"{ep}.{w2}").Weight($"{ep}.{w2}.weight", new[] { (long)c.Hidden, width }));
                continue;
            }
            outs.Add(LlmBuilder.GatedMlp(x, ep, hIn, width, new[] { n, (long)c.Hidden }, w1, w3, w2));
        }
        long sharedOps = 0;
        if (c.SharedIntermediate > 0)
        {
            bool qwen = c.Family == LlmFamily.Qwen2Moe;
            var sh = LlmBuilder.GatedMlp(x, qwen ? $"{p}.shared_expert" : $"{p}.shared_experts", hIn, c.SharedIntermediate);
            if (qwen)
            {
                // Qwen2-MoE scales the shared expert by sigmoid(shared_expert_gate(x)), one scalar per token.
                var sg = g.Activation($"{p}.shared_expert_gate.act", g.Linear($"{p}.shared_expert_gate", hIn, 1, bias: false), "sigmoid");
                sh = g.Binary($"{p}.shared_expert_mul", sh, sg, "mul");
            }
            outs.Add(sh);
            sharedOps = tokens * c.Hidden;
        }
        var clp = g.Recipe.For($"{p}.combine");
        var y = clp.VectorTensor($"{p}.combine.out", hIn.Shape);
        var inputs = outs.Select(g.Stored).Append(g.Stored(weights)).ToList();
        g.Add(new Operator($"{p}.combine", OpKind.Elementwise, inputs, new[] { y }) { VectorOps = 2 * slots * c.Hidden + sharedOps, Detail = "weighted sum" });
        return y;
    }
}
