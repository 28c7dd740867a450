namespace Mantissa.Workloads;

/// <summary>
/// The sliding window of a 2-D convolution or pooling, per axis: kernel, stride, padding before and after (ONNX's
/// pads order is top, left, bottom, right), dilation, and ceil-mode output rounding (pooling).
/// </summary>
public sealed record Window2d(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1, int PadTop = 0, int PadLeft = 0,
                              int PadBottom = 0, int PadRight = 0, int DilationH = 1, int DilationW = 1, bool CeilMode = false)
{
    /// <summary>The same kernel (unless <paramref name="kernelW"/> is given), stride, padding and dilation on both axes.</summary>
    public static Window2d Square(int kernel, int stride = 1, int padding = 0, int dilation = 1, int? kernelW = null) =>
        new(kernel, kernelW ?? kernel, stride, stride, padding, padding, padding, padding, dilation, dilation);

    /// <summary>Output rows for <paramref name="h"/> input rows (0 when the window does not fit).</summary>
    public long OutH(long h) => Out(h, KernelH, StrideH, PadTop, PadBottom, DilationH);

    /// <summary>Output columns for <paramref name="w"/> input columns (0 when the window does not fit).</summary>
    public long OutW(long w) => Out(w, KernelW, StrideW, PadLeft, PadRight, DilationW);

    private long Out(long size, int kernel, int stride, int before, int after, int dilation)
    {
        long span = size + before + after - (long)dilation * (kernel - 1) - 1;
        if (span < 0) return 0;
        if (!CeilMode) return span / stride + 1;
        long n = (span + stride - 1) / stride + 1;
        // PyTorch's rule, which ONNX's reference follows: a last window that would start in the trailing padding is dropped
        if ((n - 1) * stride >= size + before) n--;
        return n;
    }

    /// <summary>Short text such as <c>k3 s2 p1</c>, or <c>k3x5 s2x1 p0,1,1,2 d2x1 ceil</c> when the axes differ.</summary>
    public string Detail
    {
        get
        {
            static string Pair(int a, int b) => a == b ? $"{a}" : $"{a}x{b}";
            string pads = PadTop == PadLeft && PadLeft == PadBottom && PadBottom == PadRight ? $"{PadTop}" : $"{PadTop},{PadLeft},{PadBottom},{PadRight}";
            return $"k{Pair(KernelH, KernelW)} s{Pair(StrideH, StrideW)} p{pads}" +
                   (DilationH != 1 || DilationW != 1 ? $" d{Pair(DilationH, DilationW)}" : "") + (CeilMode ? " ceil" : "");
        }
    }
}
