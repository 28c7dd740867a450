using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mantissa.Explorer.Commands;

/// <summary>CPU time of the calling thread in milliseconds (process CPU time where the thread clock is unavailable).</summary>
internal static class ThreadCpuClock
{
    // Process CPU time on Linux is read from /proc in 10 ms ticks, too coarse for one layer's mapping; the thread clock
    // (clock_gettime CLOCK_THREAD_CPUTIME_ID) counts nanoseconds and leaves out the runtime's background threads.
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGettime(int clock, out Timespec time);

    private static readonly bool Available = Probe();

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return false;
        try { return ClockGettime(ClockThreadCpuTimeId, out _) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>True when the figures are per-thread (else they are the whole process's).</summary>
    public static bool PerThread => Available;

    public static double NowMs()
    {
        if (Available && ClockGettime(ClockThreadCpuTimeId, out var t) == 0) return t.Seconds * 1e3 + t.Nanoseconds / 1e6;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }
}
