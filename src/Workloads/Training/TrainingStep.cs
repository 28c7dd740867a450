namespace Mantissa.Workloads;

/// <summary>
/// Turns a forward graph into one training step: the forward operators, then in reverse order each operator's
/// backward — for a GEMM-like operator the activation-gradient GEMM (dX = dY·Wᵀ) and the weight-gradient GEMM
/// (dW = Xᵀ·dY), each with the forward's MACs; for a vector operator one element-wise operator with the forward's
/// operation count — gradient sums where a tensor feeds several operators, and an Adam update of every parameter.
/// Gradients are in the recipe's <see cref="TrainingFormats.Gradients"/> format, weight gradients, master weights and
/// moments in its master/optimizer formats; with a Hadamard block every backward GEMM operand is rotated first.
/// The forward tensors the backward operators read are the tensors kept for backward.
/// </summary>
internal static class TrainingStep
{
    /// <summary>Adam's update (Kingma and Ba 2015, Algorithm 1): two moment updates, bias corrections, the step, and the cast back.</summary>
    private const int AdamOpsPerParameter = 14;

    public static Workload Build(Workload fwd)
    {
        var recipe = fwd.Recipe;
        var tf = recipe.Training;
        var ops = fwd.Graph.Operators;
        var inputs = fwd.Graph.Inputs.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // which (operator, input position) pairs produce a gradient for each tensor
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops)
            for (int i = 0; i < op.Inputs.Count; i++)
                if (!inputs.Contains(op.Inputs[i].Name)) producers[op.Inputs[i].Name] = producers.GetValueOrDefault(op.Inputs[i].Name) + 1;
        var partials = new Dictionary<string, List<TensorSpec>>(StringComparer.Ordinal);
        var final = new Dictionary<string, TensorSpec>(StringComparer.Ordinal);
        var back = new List<Operator>();
        var written = new HashSet<string>(ops.SelectMany(o => o.Outputs).Select(t => t.Name), StringComparer.Ordinal);
        var read = new HashSet<string>(ops.SelectMany(o => o.Inputs).Select(t => t.Name), StringComparer.Ordinal);

        Mantissa.Arch.Numerics.NumberFormat Fmt(string layer, TensorSpec of) => of.Role == TensorRole.Weight ? tf.MasterWeights : tf.Gradients ?? recipe.For(layer).Activations;

        TensorSpec Partial(string layer, TensorSpec t, long[] shape)
        {
            var list = partials.TryGetValue(t.Name, out var l) ? l : partials[t.Name] = new List<TensorSpec>();
            string name = producers[t.Name] == 1 ? t.Name + ".grad" : $"{t.Name}.grad.{list.Count}";
            var g = new TensorSpec(name, shape, TensorRole.Activation, Fmt(layer, t));
            list.Add(g);
            return g;
        }

        TensorSpec? Grad(TensorSpec t)
        {
            if (final.TryGetValue(t.Name, out var f)) return f;
            if (!partials.TryGetValue(t.Name, out var list)) return null;
            if (list.Count == 1 && producers[t.Name] == 1) return final[t.Name] = list[0];
            var sum = list[0] with { Name = t.Name + ".grad", Shape = t.Shape };
            back.Add(new Operator(t.Name + ".grad_sum", OpKind.Elementwise, list, new[] { sum }) { VectorOps = (list.Count - 1) * sum.Elements, Detail = $"sum of {list.Count}" });
            return final[t.Name] = sum;
        }

        TensorSpec Rotate(string layer, TensorSpec t, string suffix)
        {
            if (tf.HadamardBlock <= 0) return t;
            var r = t with { Name = $"{layer}.{suffix}.hadamard" };
            back.Add(new Operator(r.Name, OpKind.Elementwise, new[] { t }, new[] { r })
            {
                VectorOps = t.Elements * (long)Math.Log2(tf.HadamardBlock), Detail = $"hadamard {tf.HadamardBlock}",
            });
            return r;
        }

        // the loss seeds the gradient of every result nobody reads (logits, class scores)
        foreach (var t in ops.SelectMany(o => o.Outputs).Where(t => !read.Contains(t.Name)))
        {
            producers[t.Name] = 1;
            var g = Partial(t.Name, t, t.Shape);
            back.Add(new Operator($"{t.Name}.loss_grad", OpKind.Softmax, new[] { t }, new[] { g }) { VectorOps = 5 * t.Elements, Detail = "softmax cross-entropy" });
        }

        for (int k = ops.Count - 1; k >= 0; k--)
        {
            var op = ops[k];
            var dY = Grad(op.Outputs[0]);
            if (dY is null) continue;
            if (op.Gemm is { } g)
            {
                var (left, right) = (op.Inputs[0], op.Inputs[1]);
                double share = g.Macs == 0 ? 1 : (double)op.Macs / g.Macs;
                var acc = g.Accumulator;
                if (!inputs.Contains(left.Name))
                {
                    var dL = Partial(op.Name, left, left.Shape);
                    var a = Rotate(op.Name, dY, "grad_input.dy") with { Shape = g.Output.Shape };
                    var b = Rotate(op.Name, right, "grad_input.w");
                    var view = new GemmView(g.Batch, g.M, g.N, g.K, a, b with { Shape = g.Right.Shape }, dL with { Shape = g.Left.Shape }, g.RightIsWeight, g.RightSharedBy, acc);
                    back.Add(new Operator($"{op.Name}.grad_input", op.Kind, new[] { a, b }, new[] { dL }) { Macs = (long)(view.Macs * share), Gemm = view, Detail = "dX = dY·Wᵀ" });
                }
                if (!inputs.Contains(right.Name))
                {
                    var dR = Partial(op.Name, right, right.Shape);
                    var a = Rotate(op.Name, left, "grad_weight.x");
                    var b = Rotate(op.Name, dY, "grad_weight.dy");
                    var view = new GemmView(g.Batch, g.K, g.M, g.N, a with { Shape = g.Left.Shape }, b with { Shape = g.Output.Shape }, dR with { Shape = g.Right.Shape }, false, 1, acc);
                    back.Add(new Operator($"{op.Name}.grad_weight", op.Kind, new[] { a, b }, new[] { dR }) { Macs = (long)(view.Macs * share), Gemm = view, Detail = "dW = Xᵀ·dY" });
                }
                var biases = op.Inputs.Skip(2).Where(t => !inputs.Contains(t.Name)).ToList();
                if (biases.Count > 0)
                    back.Add(new Operator($"{op.Name}.grad_bias", OpKind.Elementwise, new[] { dY }, biases.Select(t => Partial(op.Name, t, t.Shape)).ToList())
                    { VectorOps = dY.Elements, Detail = "db = sum dY" });
                continue;
            }
            var needs = op.Inputs.Where(t => !inputs.Contains(t.Name)).ToList();
            if (needs.Count == 0) continue;
            var saved = op.Inputs.Where(t => t.Role != TensorRole.Weight && !inputs.Contains(t.Name)).DistinctBy(t => t.Name);
            back.Add(new Operator($"{op.Name}.grad", OpKind.Elementwise, saved.Prepend(dY).DistinctBy(t => t.Name).ToList(),
                                  needs.Select(t => Partial(op.Name, t, t.Shape)).ToList())
            { VectorOps = Math.Max(op.VectorOps, dY.Elements), Detail = $"backward of {op.Kind}" });
        }

        // Adam over every parameter the pass touched: reads the weight gradients, master weights and both moments,
        // writes the master weights, the moments and the forward-format copy of the weights.
        var weights = fwd.Graph.Weights;
        var wgrads = weights.Select(w => Grad(w)).Where(x => x is not null).Select(x => x!).ToList();
        long n = weights.Sum(w => w.Elements);
        TensorSpec State(string name, Mantissa.Arch.Numerics.NumberFormat f) => new(name, new[] { n }, TensorRole.Weight, f);
        var master = State("optimizer.master_weights", tf.MasterWeights);
        var m1 = State("optimizer.adam_m", tf.OptimizerState);
        var m2 = State("optimizer.adam_v", tf.OptimizerState);
        var outs = new[]
        {
            master with { Name = "optimizer.master_weights.next", Role = TensorRole.Output }, m1 with { Name = "optimizer.adam_m.next", Role = TensorRole.Output },
            m2 with { Name = "optimizer.adam_v.next", Role = TensorRole.Output },
        };
        back.Add(new Operator("optimizer.adam", OpKind.Elementwise, wgrads.Concat(new[] { master, m1, m2 }).ToList(), outs)
        {
            VectorOps = AdamOpsPerParameter * n, Detail = "adam",
            BytesWrittenOverride = outs.Sum(t => t.Bytes) + weights.Sum(w => w.Bytes),
        });

        var graph = new WorkloadGraph(ops.Concat(back), fwd.Graph.Inputs);
        var keptNames = back.SelectMany(o => o.Inputs).Select(t => t.Name).Where(written.Contains).ToHashSet(StringComparer.Ordinal);
        double kept = ops.SelectMany(o => o.Outputs).Where(t => keptNames.Contains(t.Name)).DistinctBy(t => t.Name).Sum(t => t.Bytes);
        double state = master.Bytes + m1.Bytes + m2.Bytes;
        return fwd with { Phase = Phase.Train, Graph = graph, Training = new TrainingMemory(kept, state) };
    }
}

/// <summary>Memory a training step holds besides the weights: the forward tensors kept for backward, and the master weights plus Adam moments.</summary>
public sealed record TrainingMemory(double SavedActivationBytes, double OptimizerStateBytes);
