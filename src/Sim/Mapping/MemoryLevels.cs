namespace Mantissa.Sim.Mapping;

/// <summary>Fixed positions in an architecture's memory list.</summary>
public static class MemoryLevels
{
    /// <summary>Index of the DRAM level in <c>ArchitectureSpec.Memory</c> (and in every per-level traffic list): it is always first.</summary>
    public const int Dram = 0;
}
