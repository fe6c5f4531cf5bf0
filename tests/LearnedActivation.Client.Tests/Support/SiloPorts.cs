using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// Silo and gateway ports for one test's learnact processes, passed as LEARNACT_Silo__SiloPort and
/// LEARNACT_Silo__GatewayPort (the sweep's embedded silo and the status client both read them).
/// The defaults (11111/30000) would be shared with any other learnact sweep on the machine, another
/// checkout's test run or a sweep someone started by hand; and Orleans' listeners share a busy port
/// (SO_REUSEPORT) instead of failing, so such a clash would go unnoticed and mix two sweeps.
/// </summary>
internal static class SiloPorts
{
    public static IReadOnlyDictionary<string, string> FreshEnvironment()
    {
        // Both listeners are held until both ports are known, so the two are distinct.
        using var silo = Listen();
        using var gateway = Listen();
        return new Dictionary<string, string>
        {
            ["LEARNACT_Silo__SiloPort"] = Port(silo),
            ["LEARNACT_Silo__GatewayPort"] = Port(gateway),
        };
    }

    private static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }

    private static string Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
}
