using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>points.csv rows reach the file within the flush interval even when no further row follows (a slow next point).</summary>
public class PointsCsvFlushTests
{
    [Fact]
    public void ARowWithNoSuccessorReachesTheFileWithoutDispose()
    {
        string dir = Directory.CreateTempSubdirectory("mantissa-flush").FullName;
        string path = Path.Combine(dir, "points.csv");
        try
        {
            using var writer = PointsCsv.Append(path, ["key", "value"]);
            writer.Write([["k1", "42"]]);
            // poll well past the interval: only the writer's own timer can put the row there, nothing else writes
            string text = "";
            for (int i = 0; i < 100 && !text.Contains("k1,42\n"); i++)
            {
                Thread.Sleep(PointsCsv.FlushInterval);
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                text = new StreamReader(fs).ReadToEnd();
            }
            Assert.Equal("key,value\nk1,42\n", text);
        }
        finally { Directory.Delete(dir, true); }
    }
}
