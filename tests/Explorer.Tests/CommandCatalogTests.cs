namespace Mantissa.Explorer.Tests;

public class CommandCatalogTests
{
    [Fact]
    public void EachEntrysNameIsItsCommandsNameAndFindBuildsThatCommand()
    {
        var names = CommandCatalog.Entries.Select(e => e.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        foreach (var e in CommandCatalog.Entries)
        {
            Assert.Equal(e.Name, e.Command.Spec.Name);
            Assert.Same(e.Command, CommandCatalog.Find(e.Name));
        }
        Assert.Equal(names, CommandCatalog.All.Select(c => c.Spec.Name));
        Assert.Null(CommandCatalog.Find("versoin"));
    }
}
