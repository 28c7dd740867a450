using System.Reflection;
using Mantissa.Arch.Model;
using Mantissa.Sim.Pe;

namespace Mantissa.Verification;

/// <summary>
/// The standard set of checked PE configurations: those every functional model declares beside itself
/// (<see cref="IPeModelRegistration.Configurations"/>), collected by reflection in <see cref="PeKind.All"/> order, so no
/// list here names the kinds.
/// </summary>
public static class PeConfigurations
{
    public static IReadOnlyList<PeConfiguration> All { get; } = PeFactory.Registrations
        .SelectMany(t => (IReadOnlyList<PeConfiguration>)t
            .GetProperty(nameof(IPeModelRegistration.Configurations), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
        .OrderBy(c => IndexOf(c.Kind))   // stable: a kind's configurations keep their declared order
        .ToList();

    private static int IndexOf(PeKind kind)
    {
        for (int i = 0; i < PeKind.All.Count; i++)
            if (PeKind.All[i] == kind) return i;
        return -1;
    }
}
