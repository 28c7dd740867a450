using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>The metadata scan behind <see cref="PeFactory.Registrations"/> finds what a full reflection pass finds.</summary>
public class PeRegistrationScanTests
{
    [Fact]
    public void TheScanFindsEveryClassImplementingTheRegistrationAndNothingElse()
    {
        var reflected = typeof(PeFactory).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IPeModelRegistration).IsAssignableFrom(t)).OrderBy(t => t.FullName).ToList();
        Assert.Equal(reflected, PeFactory.Registrations.OrderBy(t => t.FullName));
        Assert.Contains(typeof(BitSerialPe), PeFactory.Registrations);
        Assert.Equal(PeFactory.ModelledKinds.Count, PeFactory.Registrations.Count);
    }
}
