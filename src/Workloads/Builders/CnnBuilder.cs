using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>ResNet-18/50 (v1.5: stride on the 3×3 conv) and MobileNetV2 1.0 with torchvision module names, NCHW.</summary>
internal static class CnnBuilder
{
    public static Workload ResNet(PrecisionRecipe recipe, WorkloadOptions o, int depth)
    {
        CheckImage(o, 32);
        var g = new GraphBuilder(recipe);
        long n = o.Batch;
        var x = g.Input("pixel_values", new[] { n, 3, (long)o.ImageSize, o.ImageSize });
        x = g.Conv2d("conv1", x, 64, 7, stride: 2, padding: 3);
        x = g.BatchNorm("bn1", x);
        x = g.Activation("relu", x, "relu");
        x = g.Pool("maxpool", x, 3, 2, 1, "max");
        bool bottleneck = depth >= 50;
        int[] blocks = depth switch { 18 => new[] { 2, 2, 2, 2 }, 34 => new[] { 3, 4, 6, 3 }, 50 => new[] { 3, 4, 6, 3 }, _ => throw new ArgumentOutOfRangeException(nameof(depth)) };
        long inCh = 64;
        for (int stage = 0; stage < 4; stage++)
        {
            long planes = 64L << stage;
            for (int b = 0; b < blocks[stage]; b++)
            {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                string p = $"layer{stage + 1}.{b}";
                long outCh = bottleneck ? planes * 4 : planes;
                var identity = x;
                TensorSpec y;
                if (bottleneck)
                {
                    y = g.Activation($"{p}.relu1", g.BatchNorm($"{p}.bn1", g.Conv2d($"{p}.conv1", x, planes, 1)), "relu");
                    y = g.Activation($"{p}.relu2", g.BatchNorm($"{p}.bn2", g.Conv2d($"{p}.conv2", y, planes, 3, stride, 1)), "relu");
                    y = g.BatchNorm($"{p}.bn3", g.Conv2d($"{p}.conv3", y, outCh, 1));
                }
                else
                {
                    y = g.Activation($"{p}.relu1", g.BatchNorm($"{p}.bn1", g.Conv2d($"{p}.conv1", x, planes, 3, stride, 1)), "relu");
                    y = g.BatchNorm($"{p}.bn2", g.Conv2d($"{p}.conv2", y, planes, 3, 1, 1));
                }
                if (stride != 1 || inCh != outCh)
                    identity = g.BatchNorm($"{p}.downsample.1", g.Conv2d($"{p}.downsample.0", x, outCh, 1, stride));
                x = g.Activation($"{p}.relu", g.Binary($"{p}.add", y, identity, "add"), "relu");
                inCh = outCh;
            }
        }
        var pooled = g.Pool("avgpool", x, 0, 1, 0, "avg");
        g.Linear("fc", pooled, 1000, bias: true, outRole: TensorRole.Output);
        return Finish(g, $"resnet{depth}", WorkloadKind.Cnn, WorkUnit.Frame, o, recipe);
    }

    public static Workload MobileNetV2(PrecisionRecipe recipe, WorkloadOptions o)
    {
        CheckImage(o, 32);
        var g = new GraphBuilder(recipe);
        long n = o.Batch;
        var x = g.Input("pixel_values", new[] { n, 3, (long)o.ImageSize, o.ImageSize });
        x = ConvBnRelu6(g, "features.0", x, 32, 3, 2, 1);
        int[][] settings = { new[] { 1, 16, 1, 1 }, new[] { 6, 24, 2, 2 }, new[] { 6, 32, 3, 2 }, new[] { 6, 64, 4, 2 }, new[] { 6, 96, 3, 1 }, new[] { 6, 160, 3, 2 }, new[] { 6, 320, 1, 1 } };
        long inCh = 32;
        int index = 1;
        foreach (var s in settings)
        {
            int t = s[0], c = s[1], reps = s[2], firstStride = s[3];
            for (int i = 0; i < reps; i++, index++)
            {
                int stride = i == 0 ? firstStride : 1;
                string p = $"features.{index}.conv";
                long hidden = inCh * t;
                var y = x;
                int k = 0;
                if (t != 1) y = ConvBnRelu6(g, $"{p}.{k++}", y, hidden, 1, 1, 0);
                y = ConvBnRelu6(g, $"{p}.{k++}", y, hidden, 3, stride, 1, groups: (int)hidden);
                y = g.Conv2d($"{p}.{k++}", y, c, 1);
                y = g.BatchNorm($"{p}.{k}", y);
                if (stride == 1 && inCh == c) y = g.Binary($"features.{index}.add", y, x, "add");
                x = y;
                inCh = c;
            }
        }
        x = ConvBnRelu6(g, $"features.{index}", x, 1280, 1, 1, 0);
        var pooled = g.Pool("avgpool", x, 0, 1, 0, "avg");
        g.Linear("classifier.1", pooled, 1000, bias: true, outRole: TensorRole.Output);
        return Finish(g, "mobilenetv2", WorkloadKind.Cnn, WorkUnit.Frame, o, recipe);
    }

    private static TensorSpec ConvBnRelu6(GraphBuilder g, string p, TensorSpec x, long outCh, int k, int stride, int pad, int groups = 1) =>
        g.Activation($"{p}.2", g.BatchNorm($"{p}.1", g.Conv2d($"{p}.0", x, outCh, k, stride, pad, groups: groups)), "relu6");

    internal static void CheckImage(WorkloadOptions o, int min)
    {
        if (o.ImageSize < min) throw new MantissaException($"image size must be at least {min} pixels, got {o.ImageSize}");
    }

    internal static Workload Finish(GraphBuilder g, string name, WorkloadKind kind, WorkUnit unit, WorkloadOptions o, PrecisionRecipe recipe, int seq = 0)
    {
        var graph = g.Build();
        return new Workload(name, kind, Phase.Prefill, o.Batch, seq, 0, seq > 0 ? (long)o.Batch * seq : o.Batch, recipe, graph, g.StoredWeights)
            { Unit = unit };
    }
}
