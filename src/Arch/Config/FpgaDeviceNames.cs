namespace Mantissa.Arch.Config;

/// <summary>FPGA device names an architecture may target; the cost model's device table holds their resources.</summary>
internal static class FpgaDeviceNames
{
    public static readonly IReadOnlyList<string> All = ["u280", "u250", "vck190", "zcu104", "ultra96", "vcu129"];
}
