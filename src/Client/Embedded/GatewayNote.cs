using System.Text.Json;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.IO;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// What the process training on a file-system store writes into it while it runs
/// (<see cref="StoreLayout.GatewayFile"/>): the gateway port of its silo and the cluster id that silo answers
/// to. <c>status</c>, <c>cancel</c> and <c>resume</c> read it to reach that process, so the store the user
/// names decides which silo answers, never whatever listens on a default port. The cluster id is fresh for
/// each process: a note left behind by a killed process, pointing at a port that another sweep's silo now
/// uses, is refused by that silo's gateway (Orleans refuses a client of another cluster id). When the process
/// serves its dashboard, <see cref="DashboardUrl"/> names it: <c>status</c> asks it over HTTP, in a fraction of the
/// time connecting an Orleans client takes, and checks that the answer carries the note's cluster id, for the same reason.
/// </summary>
internal sealed record GatewayNote(int GatewayPort, string ClusterId, string ServiceId, string? DashboardUrl = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void WriteTo(string root) => AtomicFile.WriteAllText(PathIn(root), JsonSerializer.Serialize(this, Json));

    /// <summary>The note in the store at <paramref name="root"/>; null when there is none (no process trains there) or it is unreadable.</summary>
    public static GatewayNote? ReadFrom(string root)
    {
        try
        {
            var note = JsonSerializer.Deserialize<GatewayNote>(File.ReadAllText(PathIn(root)), Json);
            return note is { GatewayPort: > 0 and <= 65535, ClusterId.Length: > 0, ServiceId.Length: > 0 } ? note : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void RemoveFrom(string root) => File.Delete(PathIn(root));

    private static string PathIn(string root) => Path.Combine(root, StoreLayout.GatewayFile);
}
