namespace Mantissa.Sim.Mapping;

/// <summary>Reads and writes at one memory level, in words of that level, per tensor (Left, Right, Output) and in bytes.</summary>
public sealed record LevelTraffic(string Level, long[] ReadWords, long[] WriteWords, double ReadBytes, double WriteBytes)
{
    public long Reads => ReadWords[0] + ReadWords[1] + ReadWords[2];
    public long Writes => WriteWords[0] + WriteWords[1] + WriteWords[2];

    public LevelTraffic Scale(long factor) => factor == 1 ? this : new(Level,
        Times(ReadWords, factor), Times(WriteWords, factor), ReadBytes * factor, WriteBytes * factor);

    // a loop, not Select(...).ToArray(): every batched layer a simulator prices scales each level (a closure, an
    // iterator and a delegate per array)
    private static long[] Times(long[] words, long factor)
    {
        var scaled = new long[words.Length];
        for (int i = 0; i < scaled.Length; i++) scaled[i] = words[i] * factor;
        return scaled;
    }

    public static LevelTraffic Empty(string level) => new(level, new long[3], new long[3], 0, 0);
}
