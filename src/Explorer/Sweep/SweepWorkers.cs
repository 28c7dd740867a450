using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Runs work items 0..count-1 on <c>jobs</c> threads: the caller's and <c>jobs - 1</c> threads of their own (not the
/// thread pool, whose replicated loop tasks came and went every few hundred points and spun while idle). Each worker
/// claims the next index with one atomic increment of a counter on a cache line of its own, so no producer hands points
/// out and no lock is taken. The first exception stops every worker and is rethrown; cancellation stops them before
/// their next item and throws <see cref="OperationCanceledException"/>.
/// </summary>
internal static class SweepWorkers
{
    /// <summary>Runs <paramref name="work"/>(index, that worker's meter) for every index; returns each worker's figures.</summary>
    public static IReadOnlyList<WorkerStats> Run(int count, int jobs, CancellationToken cancel, Action<int, WorkerMeter> work)
    {
        var next = new ClaimCounter();
        var stats = new WorkerStats[jobs];
        ExceptionDispatchInfo? failure = null;
        int stop = 0;

        void Loop(int worker)
        {
            var meter = new WorkerMeter();
            try
            {
                while (Volatile.Read(ref stop) == 0 && !cancel.IsCancellationRequested)
                {
                    int i = next.Claim();
                    if (i >= count) break;
                    work(i, meter);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                Volatile.Write(ref stop, 1);
            }
            finally { stats[worker] = meter.Stop(); }
        }

        var threads = new Thread[jobs - 1];
        for (int w = 1; w < jobs; w++)
        {
            int worker = w;
            threads[w - 1] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"sweep worker {worker}" };
            threads[w - 1].Start();
        }
        Loop(0);
        foreach (var t in threads) t.Join();
        failure?.Throw();
        cancel.ThrowIfCancellationRequested();
        return stats;
    }

    /// <summary>The next index to claim, alone on its cache line (64 bytes on either side) so the workers' other writes do not bounce it.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private sealed class ClaimCounter
    {
        [FieldOffset(64)] private int _next = -1;

        public int Claim() => Interlocked.Increment(ref _next);
    }
}
