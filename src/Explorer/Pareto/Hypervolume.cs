namespace Mantissa.Explorer.Pareto;

/// <summary>Exact hypervolume (all objectives minimised) dominated by a set of points up to a reference point, for 2 and 3 objectives.</summary>
public static class Hypervolume
{
    public static double Compute(IReadOnlyList<double[]> points, double[] reference) => reference.Length switch
    {
        2 => TwoD(points.Select(p => (p[0], p[1])), reference[0], reference[1]),
        3 => ThreeD(points, reference),
        _ => throw new ArgumentException("hypervolume is computed for 2 or 3 objectives"),
    };

    /// <summary>Area dominated by the points and bounded by (rx, ry): sweep in x, adding the strip each new lower y uncovers.</summary>
    public static double TwoD(IEnumerable<(double x, double y)> points, double rx, double ry)
    {
        var inside = points.Where(p => p.x < rx && p.y < ry).OrderBy(p => p.x).ThenBy(p => p.y).ToList();
        double area = 0, lastY = ry;
        foreach (var (x, y) in inside)
        {
            if (y >= lastY) continue;
            area += (rx - x) * (lastY - y);
            lastY = y;
        }
        return area;
    }

    /// <summary>Volume by slicing along z: between consecutive z values the cross-section is the 2-D area of the points below.</summary>
    private static double ThreeD(IReadOnlyList<double[]> points, double[] r)
    {
        var inside = points.Where(p => p[0] < r[0] && p[1] < r[1] && p[2] < r[2]).OrderBy(p => p[2]).ToList();
        double volume = 0;
        for (int i = 0; i < inside.Count; i++)
        {
            double zNext = i + 1 < inside.Count ? inside[i + 1][2] : r[2];
            if (zNext <= inside[i][2]) continue;
            double area = TwoD(inside.Take(i + 1).Select(p => (p[0], p[1])), r[0], r[1]);
            volume += area * (zNext - inside[i][2]);
        }
        return volume;
    }
}
