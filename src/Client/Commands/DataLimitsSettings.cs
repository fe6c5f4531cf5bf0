using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Model.Data;
using Microsoft.Extensions.Configuration;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// The reader limits of this process's own data loading (<c>train</c>, the embedded <c>sweep</c>), from the
/// environment as the silo reads them (<c>LEARNACT_Data__MaxRows</c>, ...), so that one setting raises a limit everywhere.
/// </summary>
internal static class DataLimitsSettings
{
    private static readonly string Variables = $"{EmbeddedSilo.EnvironmentPrefix}{DataLimits.Section}__Max*";

    /// <summary>The limits; a value that is not a positive whole number is a <see cref="UsageException"/> naming the variable.</summary>
    public static DataLimits FromEnvironment()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(EmbeddedSilo.EnvironmentPrefix).Build();
        DataLimits limits;
        try
        {
            limits = configuration.GetSection(DataLimits.Section).Get<DataLimits>() ?? DataLimits.Default;
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"{Variables}: {e.Message}", e);
        }

        return limits.FirstError() is { } error ? throw new UsageException($"{Variables}: {error}") : limits;
    }
}
