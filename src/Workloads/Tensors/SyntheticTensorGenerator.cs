using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mantissa.Arch;

namespace Mantissa.Workloads.Tensors;

/// <summary>Draws seeded synthetic tensors; the same spec gives the same bits on every platform and runtime.</summary>
public static class SyntheticTensorGenerator
{
    public static FloatTensor Generate(SyntheticTensorSpec spec)
    {
        if (spec.Count <= 0) throw new MantissaException($"synthetic tensor size must be positive, got {spec.Count}");
        // Above 10^6, W^(−2/ν) − 1 cancels to 0 in doubles (ν = 10^20 gave an all-zero tensor), and the distribution
        // is the Gaussian to within float precision anyway.
        if (spec.Distribution == SyntheticDistribution.StudentT && !(spec.Nu > 0 && spec.Nu <= 1e6))
            throw new MantissaException($"student-t degrees of freedom must be a number > 0 and ≤ 1000000 (use gaussian for the limit), got {spec.Nu}");
        int cols = spec.Count % SyntheticTensorSpec.PreferredColumns == 0 ? SyntheticTensorSpec.PreferredColumns : spec.Count;
        long[] shape = cols == spec.Count ? new long[] { spec.Count } : new long[] { spec.Count / cols, cols };
        var rng = new Xoshiro256StarStar(spec.Seed);
        var values = new float[spec.Count];
        switch (spec.Distribution)
        {
            case SyntheticDistribution.Gaussian: FillGaussian(rng, values); break;
            case SyntheticDistribution.Laplace: for (int i = 0; i < values.Length; i++) values[i] = (float)Laplace(rng); break;
            case SyntheticDistribution.StudentT: FillStudentT(rng, values, spec.Nu); break;
            case SyntheticDistribution.OutlierChannels: FillOutliers(rng, values, cols, spec); break;
        }
        string name = spec.Distribution == SyntheticDistribution.StudentT ? $"student-t(nu={spec.Nu})" : spec.Name;
        return new FloatTensor($"{name} seed={spec.Seed}", shape, values);
    }

    private static void FillGaussian(Xoshiro256StarStar rng, Span<float> values)
    {
        // Marsaglia's polar method: two normals per accepted pair; only sqrt (exact in IEEE) and PortableMath.Log.
        for (int i = 0; i < values.Length; i += 2)
        {
            var (a, b) = GaussianPair(rng);
            values[i] = (float)a;
            if (i + 1 < values.Length) values[i + 1] = (float)b;
        }
    }

    private static (double, double) GaussianPair(Xoshiro256StarStar rng)
    {
        while (true)
        {
            double u = 2 * rng.NextDouble() - 1, v = 2 * rng.NextDouble() - 1;
            double s = u * u + v * v;
            if (s >= 1 || s == 0) continue;
            double f = Math.Sqrt(-2 * PortableMath.Log(s) / s);
            return (u * f, v * f);
        }
    }

    private static double Laplace(Xoshiro256StarStar rng)
    {
        // Inverse CDF: x = −sign(u)·ln(1 − 2|u|), u uniform in (−1/2, 1/2).
        while (true)
        {
            double u = rng.NextDouble() - 0.5;
            if (u == -0.5) continue;
            double m = -PortableMath.Log(1 - 2 * Math.Abs(u));
            return u < 0 ? -m : m;
        }
    }

    private static double StudentT(Xoshiro256StarStar rng, double nu)
    {
        while (true)
        {
            var (u, w) = DiscPoint(rng);
            double t = T(u, w, nu);
            if (double.IsFinite(t)) return t;
        }
    }

    // Bailey's polar method (Math. Comp. 62, 1994): T = U·sqrt(ν(W^(−2/ν) − 1)/W) for (U, V) uniform in the unit disc.
    private static (double U, double W) DiscPoint(Xoshiro256StarStar rng)
    {
        while (true)
        {
            double u = 2 * rng.NextDouble() - 1, v = 2 * rng.NextDouble() - 1;
            double w = u * u + v * v;
            if (w >= 1 || w == 0) continue;
            return (u, w);
        }
    }

    private static double T(double u, double w, double nu)
    {
        double c = PortableMath.Exp(-2 / nu * PortableMath.Log(w)) - 1;
        return u * Math.Sqrt(nu * c / w);
    }

    // StudentT for every value, in blocks: the disc points are drawn in order, T is computed four at a time where
    // PortableMathX4 covers the lanes (the same bits as T), and the finite values are taken in order, which are exactly
    // the values StudentT returns one at a time (a non-finite T just moves on to the next point).
    // fully optimised from the first call: it runs once per tensor, too briefly for tiered compilation to promote it
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillStudentT(Xoshiro256StarStar rng, float[] values, double nu)
    {
        if (!PortableMathX4.IsSupported)
        {
            for (int i = 0; i < values.Length; i++) values[i] = (float)StudentT(rng, nu);
            return;
        }
        const int Block = 4096;
        var u = new double[Block];
        var w = new double[Block];
        var t = new double[Block];
        int filled = 0;
        while (filled < values.Length)
        {
            int n = Math.Min(Block, values.Length - filled); // each point gives at most one value: never more are drawn
            for (int j = 0; j < n; j++) (u[j], w[j]) = DiscPoint(rng);
            int at = 0;
            for (; at + 4 <= n; at += 4)
                if (!T4(Vector256.Create(u.AsSpan(at, 4)), Vector256.Create(w.AsSpan(at, 4)), nu, t.AsSpan(at, 4)))
                    for (int j = at; j < at + 4; j++) t[j] = T(u[j], w[j], nu);
            for (; at < n; at++) t[at] = T(u[at], w[at], nu);
            for (int j = 0; j < n; j++)
                if (double.IsFinite(t[j])) values[filled++] = (float)t[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool T4(Vector256<double> u, Vector256<double> w, double nu, Span<double> t)
    {
        if (!PortableMathX4.LogCovers(w)) return false;
        var x = Vector256.Create(-2 / nu) * PortableMathX4.Log(w);
        if (!PortableMathX4.ExpCovers(x)) return false;
        var c = PortableMathX4.Exp(x) - Vector256<double>.One;
        (u * Vector256.Sqrt(Vector256.Create(nu) * c / w)).CopyTo(t);
        return true;
    }

    private static void FillOutliers(Xoshiro256StarStar rng, float[] values, int cols, SyntheticTensorSpec spec)
    {
        FillGaussian(rng, values);
        int outliers = Math.Max(1, (int)Math.Ceiling(spec.OutlierFraction * cols));
        // Partial Fisher–Yates picks distinct columns.
        var order = Enumerable.Range(0, cols).ToArray();
        for (int i = 0; i < outliers; i++)
        {
            int j = i + rng.NextInt(cols - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        float scale = (float)spec.OutlierScale;
        for (int k = 0; k < outliers; k++)
            for (int c = order[k]; c < values.Length; c += cols) values[c] *= scale;
    }
}
