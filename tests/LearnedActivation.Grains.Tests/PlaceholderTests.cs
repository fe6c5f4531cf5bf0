namespace LearnedActivation.Grains.Tests;

public class ProjectWiringTests
{
    [Fact]
    public void GrainsAssemblyReferencesModel() =>
        Assert.Contains(typeof(LearnedActivation.Model.Configuration.ModelConfig).Assembly.GetName().Name!, "LearnedActivation.Model");
}
