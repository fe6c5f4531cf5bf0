using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>Reads and checks <see cref="DashboardOptions"/> before the host is built (the host's kind depends on them).</summary>
public static class DashboardSettings
{
    /// <exception cref="OptionsValidationException">A port out of range, or a non-loopback address without AllowRemote.</exception>
    public static DashboardOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        Check(options);
        return options;
    }

    public static void Check(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(DashboardOptions.Section, typeof(DashboardOptions), problems.Select(p => $"{DashboardOptions.Section}: {p.ErrorMessage}"));
        }
    }
}
