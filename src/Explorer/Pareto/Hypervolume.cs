namespace Mantissa.Explorer.Pareto;

/// <summary>
/// Exact hypervolume (all objectives minimised) dominated by a set of points up to a reference point, for 2 to 4
/// objectives: a sweep in 2-D, a sweep over the third objective with an incrementally maintained 2-D staircase in
/// 3-D (the dimension-sweep idea of Beume, Fonseca, López-Ibáñez, Paquete and Vahrenhold, IEEE TEVC 13(5), 2009),
/// and slices along the fourth objective in 4-D.
/// </summary>
public static class Hypervolume
{
    public static double Compute(IReadOnlyList<double[]> points, double[] reference) => reference.Length switch
    {
        2 => TwoD(points.Select(p => (p[0], p[1])), reference[0], reference[1]),
        3 => ThreeD(Inside(points, reference), reference),
        4 => FourD(Inside(points, reference), reference),
        _ => throw new ArgumentException("hypervolume is computed for 2 to 4 objectives"),
    };

    private static List<double[]> Inside(IReadOnlyList<double[]> points, double[] r) =>
        points.Where(p => p.Zip(r).All(x => x.First < x.Second)).ToList();

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

    /// <summary>
    /// Volume by a sweep in z: points enter a 2-D staircase (x ascending, y descending) in z order, the staircase's
    /// dominated area is updated by the strip each insertion uncovers, and each z gap adds area × gap.
    /// </summary>
    private static double ThreeD(List<double[]> points, double[] r)
    {
        points.Sort((a, b) => a[2].CompareTo(b[2]));
        var stairs = new Staircase(r[0], r[1]);
        double volume = 0;
        for (int i = 0; i < points.Count; i++)
        {
            stairs.Insert(points[i][0], points[i][1]);
            double zNext = i + 1 < points.Count ? points[i + 1][2] : r[2];
            volume += stairs.Area * (zNext - points[i][2]);
        }
        return volume;
    }

    /// <summary>Slices along the fourth objective: between consecutive values the section is the 3-D volume of the points below.</summary>
    private static double FourD(List<double[]> points, double[] r)
    {
        points.Sort((a, b) => a[3].CompareTo(b[3]));
        double volume = 0;
        for (int i = 0; i < points.Count; i++)
        {
            double wNext = i + 1 < points.Count ? points[i + 1][3] : r[3];
            if (wNext <= points[i][3]) continue;
            volume += ThreeD(points.Take(i + 1).ToList(), r) * (wNext - points[i][3]);
        }
        return volume;
    }

    /// <summary>The non-dominated 2-D points inserted so far and the area they dominate inside the reference box.</summary>
    private sealed class Staircase
    {
        private readonly List<double> _x = new(), _y = new();
        private readonly double _rx, _ry;

        public Staircase(double rx, double ry) { _rx = rx; _ry = ry; }

        public double Area { get; private set; }

        public void Insert(double x, double y)
        {
            int at = _x.BinarySearch(x);
            if (at < 0) at = ~at;
            else while (at > 0 && _x[at - 1] == x) at--;
            // dominated by the step at or before x
            if (at > 0 && _y[at - 1] <= y) return;
            if (at < _x.Count && _x[at] == x && _y[at] <= y) return;
            // the steps from 'at' on with y ≥ ours are dominated by the new point: they leave
            int end = at;
            while (end < _x.Count && _y[end] >= y) end++;
            double right = end < _x.Count ? _x[end] : _rx;
            double heightBefore = at > 0 ? _y[at - 1] : _ry;
            // area the old steps gave on [x, right), replaced by (right − x)·(ry − y)
            double old = 0, from = x, h = heightBefore;
            for (int k = at; k < end; k++)
            {
                old += (_x[k] - from) * (_ry - h);
                from = _x[k];
                h = _y[k];
            }
            old += (right - from) * (_ry - h);
            Area += (right - x) * (_ry - y) - old;
            _x.RemoveRange(at, end - at);
            _y.RemoveRange(at, end - at);
            _x.Insert(at, x);
            _y.Insert(at, y);
        }
    }
}
