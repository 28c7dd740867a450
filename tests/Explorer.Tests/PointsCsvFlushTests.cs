using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>points.csv rows reach the file within the flush interval even when no further row follows (a slow next point).</summary>
public class PointsCsvFlushTests
{
    [Fact]
    public void ARowWithNoSuccessorReachesTheFileWithoutDispose()
    {
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        using var writer = PointsCsv.Append(path, ["key", "value"]);
        writer.Write([["k1", "42"]]);
        // poll well past the interval: only the writer's own flush thread can put the row there, nothing else writes
        string text = "";
        for (int i = 0; i < 100 && !text.Contains("k1,42\n"); i++)
        {
            Thread.Sleep(PointsCsv.FlushInterval);
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            text = new StreamReader(fs).ReadToEnd();
        }
        Assert.Equal("key,value\nk1,42\n", text);
    }

    [Fact]
    public void DisposeStopsTheFlushThreadAndWritesEveryRowAtOnce()
    {
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        var writer = PointsCsv.Append(path, ["key", "value"]);
        Assert.True(writer.FlushThreadRunning);
        for (int i = 0; i < 1000; i++) writer.Write([[$"k{i}", "1"]]);
        writer.Dispose();
        // stopped at once (joined by Dispose), not after its next sleep, and the rows are all there
        Assert.False(writer.FlushThreadRunning);
        var lines = File.ReadAllLines(path);
        Assert.Equal(1001, lines.Length);
        Assert.Equal("k999,1", lines[^1]);
        writer.Dispose(); // a second dispose is harmless
    }

    [Fact]
    public void WritersLeftByCancellationLeaveNoFlushThreadBehind()
    {
        // a sweep disposes its writer however the run ends (using): writers left by a cancellation exception, each with rows
        // still buffered, stop their threads and keep their rows
        using var dir = new TempSweepDir();
        var writers = new List<PointsCsv>();
        using var cancel = new CancellationTokenSource();
        for (int i = 0; i < 20; i++)
        {
            var w = PointsCsv.Append(dir.Sub($"p{i}.csv"), ["key"]);
            writers.Add(w);
            try
            {
                using (w)
                {
                    w.Write([["row"]]);
                    if (i % 2 == 0) cancel.Token.ThrowIfCancellationRequested();
                    cancel.Cancel();
                    cancel.Token.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException) { }
        }
        Assert.All(writers, w => Assert.False(w.FlushThreadRunning));
        for (int i = 0; i < 20; i++) Assert.Equal("key\nrow\n", File.ReadAllText(dir.Sub($"p{i}.csv")));
    }

    [Fact]
    public void RowsReachTheFileWhileRowsKeepComing()
    {
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        using var writer = PointsCsv.Append(path, ["key"]);
        // keep appending for a few intervals: the file grows while rows keep coming (flushed by the appending thread once
        // the interval has passed, or by the flush thread between its appends), not only at the end
        var until = DateTime.UtcNow + 3 * PointsCsv.FlushInterval;
        int n = 0;
        while (DateTime.UtcNow < until) writer.Write([[$"k{n++}"]]);
        Thread.Sleep(PointsCsv.FlushInterval / 4);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.True(fs.Length > "key\n".Length, "nothing was written while rows were appended");
    }

    [Fact]
    public void AWriteErrorOnTheFlushThreadReachesTheNextWriteAndDispose()
    {
        // /dev/full accepts the open and refuses every write with "no space left on device" (Linux, where CI runs)
        if (!OperatingSystem.IsLinux()) return;
        var writer = PointsCsv.Append("/dev/full", ["key", "value"]);
        // the header waits in the buffer; the flush thread tries it within the interval, fails and stops instead of
        // ending the process with an unhandled exception
        for (int i = 0; i < 100 && writer.FlushThreadRunning; i++) Thread.Sleep(PointsCsv.FlushInterval / 4);
        Assert.False(writer.FlushThreadRunning);
        var onWrite = Assert.ThrowsAny<IOException>(() => writer.Write([["k1", "1"]]));
        Assert.Contains("/dev/full", onWrite.Message);
        Assert.ThrowsAny<IOException>(writer.Dispose);
        writer.Dispose(); // closed by the first dispose: nothing left to fail
    }
}
