using System.ComponentModel.DataAnnotations;

namespace LearnedActivation.Silo.Hosting;

/// <summary>The embedded/local silo's identity and ports (configuration section "Silo").</summary>
public sealed class SiloHostOptions
{
    public const string Section = "Silo";

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "learnact";

    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "learnact";

    /// <summary>Silo-to-silo port on localhost.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port on localhost (a second `learnact` process, e.g. `status`, connects here while a sweep runs).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
