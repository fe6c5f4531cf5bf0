using System.Net;
using System.Net.Sockets;
using LearnedActivation.Client.Cli;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// Checks that the silo's ports are free before Orleans binds them. On Linux .NET listeners set
/// SO_REUSEPORT, so a second silo would silently share a busy port instead of failing; an exclusive
/// probe turns that into one clear line naming the port and how to choose another.
/// </summary>
internal static class PortCheck
{
    public static void EnsureFree(int port, string variable)
    {
        var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ExclusiveAddressUse = true };
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new UsageException($"port {port} is already in use (another learnact sweep or silo?); choose another with {variable}=PORT");
        }
        finally
        {
            probe.Dispose();
        }
    }
}
