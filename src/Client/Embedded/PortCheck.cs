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
    /// <summary>
    /// <paramref name="count"/> distinct ports that nothing listens on now, for a silo nobody needs to find
    /// (the status-only silo): it then never clashes with a sweep on the configured ports.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        // Every socket is held until all ports are known, so that the ports differ.
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

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
