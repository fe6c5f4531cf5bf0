using System.ComponentModel.DataAnnotations;
using LearnedActivation.Grains.Scheduling;

namespace LearnedActivation.Grains.Tests.Scheduling;

public sealed class QueuePoliciesTests
{
    [Fact]
    public void SilosUseTheProgressFirstPolicyUnlessConfiguredOtherwise()
    {
        var options = new RunSchedulingOptions();

        Assert.IsType<ProgressFirstPolicy>(QueuePolicies.Named(options.QueuePolicy));
        Assert.Empty(Problems(options));
    }

    [Fact]
    public void PolicyNamesAreMatchedIgnoringCase() =>
        Assert.IsType<ProgressFirstPolicy>(QueuePolicies.Named("Progress-First"));

    [Fact]
    public void AnUnknownPolicyFailsValidationNamingTheKnownOnes()
    {
        var problem = Assert.Single(Problems(new RunSchedulingOptions { QueuePolicy = "shortest-first" }));

        Assert.Contains("unknown queue policy 'shortest-first'", problem.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(ProgressFirstPolicy.Name, problem.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([nameof(RunSchedulingOptions.QueuePolicy)], problem.MemberNames);
        Assert.Throws<ArgumentException>(() => QueuePolicies.Named("shortest-first"));
    }

    private static List<ValidationResult> Problems(RunSchedulingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
