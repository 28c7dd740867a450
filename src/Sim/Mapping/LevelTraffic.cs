namespace Mantissa.Sim.Mapping;

/// <summary>Reads and writes at one memory level, in words of that level, per tensor (Left, Right, Output) and in bytes.</summary>
public sealed record LevelTraffic(string Level, long[] ReadWords, long[] WriteWords, double ReadBytes, double WriteBytes)
{
    public long Reads => ReadWords[0] + ReadWords[1] + ReadWords[2];
    public long Writes => WriteWords[0] + WriteWords[1] + WriteWords[2];

    public LevelTraffic Scale(long factor) => factor == 1 ? this : new(Level,
        ReadWords.Select(r => r * factor).ToArray(), WriteWords.Select(w => w * factor).ToArray(),
        ReadBytes * factor, WriteBytes * factor);

    public static LevelTraffic Sum(LevelTraffic a, LevelTraffic b) => new(a.Level,
        new[] { a.ReadWords[0] + b.ReadWords[0], a.ReadWords[1] + b.ReadWords[1], a.ReadWords[2] + b.ReadWords[2] },
        new[] { a.WriteWords[0] + b.WriteWords[0], a.WriteWords[1] + b.WriteWords[1], a.WriteWords[2] + b.WriteWords[2] },
        a.ReadBytes + b.ReadBytes, a.WriteBytes + b.WriteBytes);

    public static LevelTraffic Empty(string level) => new(level, new long[3], new long[3], 0, 0);
}
