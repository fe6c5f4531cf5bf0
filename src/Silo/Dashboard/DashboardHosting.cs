using System.Net;
using System.Net.Sockets;
using LearnedActivation.Grains.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>
/// Serves the sweep dashboard from a process. A process that hosts a silo (embedded <c>learnact sweep</c>,
/// <c>learnact-silo</c>) serves it from the silo's own host, which is then an ASP.NET Core web application, so that
/// Orleans' dashboard (whose services live in the silo) is mounted beside it at <see cref="DashboardEndpoints.OrleansPath"/>.
/// A process that is only a client of a cluster (<c>learnact dashboard --cluster</c>) serves it from a small web
/// application of its own over the client's grain factory.
/// </summary>
public static class DashboardHosting
{
    /// <summary>The builder of a silo host: a web application when the dashboard is on, a plain host when it is off.</summary>
    public static IHostApplicationBuilder CreateSiloBuilder(DashboardOptions options, string[] args, string? contentRoot = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = contentRoot is not null, ContentRootPath = contentRoot });
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });
        Listen(builder, options);
        builder.Services.AddSingleton<CheckpointActivations>();
        return builder;
    }

    /// <summary>The silo builder's part: Orleans' dashboard services, when the dashboard is on.</summary>
    public static void ConfigureSilo(ISiloBuilder silo, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Enabled)
        {
            silo.AddDashboard();
        }
    }

    /// <summary>Builds the host <see cref="CreateSiloBuilder"/> made, with the dashboard's routes when it is a web application.</summary>
    public static IHost Build(IHostApplicationBuilder builder, DashboardSweeps sweeps)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder is HostApplicationBuilder plain)
        {
            return plain.Build();
        }

        var web = (WebApplicationBuilder)builder;
        web.Services.AddSweepDashboard(sweeps);
        var app = web.Build();
        app.MapSweepDashboard(withOrleansDashboard: true);
        app.MapOrleansDashboard(DashboardEndpoints.OrleansPath);
        return app;
    }

    /// <summary>A dashboard of its own for a cluster client: <paramref name="grains"/> answers, <paramref name="store"/> (optional) gives checkpoints.</summary>
    public static WebApplication BuildForClient(DashboardOptions options, IGrainFactory grains, IBlobStore? store, DashboardSweeps sweeps)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        Listen(builder, options);
        builder.Services.AddSingleton<IHostLifetime, Hosting.CallerOwnedLifetime>();
        builder.Services.AddSingleton(grains);
        if (store is not null)
        {
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton<CheckpointActivations>();
        }

        builder.Services.AddSweepDashboard(sweeps);
        var app = builder.Build();
        app.MapSweepDashboard(withOrleansDashboard: false);
        return app;
    }

    /// <summary>Where a started host serves the dashboard; null when it serves none.</summary>
    public static Uri? UrlOf(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = host.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() is { } address ? new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal) + "/") : null;
    }

    private static void Listen(WebApplicationBuilder builder, DashboardOptions options)
    {
        var address = IPAddress.Parse(options.Address);

        // Probed when the server starts, right before it binds: silos started together on one machine then take
        // the default port one at a time, and the others a free one.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(address, options.Port ?? (IsFree(address, DashboardOptions.DefaultPort) ? DashboardOptions.DefaultPort : 0)));
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
