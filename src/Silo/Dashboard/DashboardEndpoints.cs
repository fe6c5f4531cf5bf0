using System.Text.Json;
using LearnedActivation.Grains.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>
/// The sweep dashboard's routes: the page and its script and style ("/", "/dashboard.js", "/dashboard.css"), the JSON
/// API ("/api/sweeps", "/api/sweeps/{id}", "/api/sweeps/{id}/status" for <c>learnact status</c>) and a server-sent event stream per sweep ("/api/sweeps/{id}/events"),
/// which sends the sweep's view whenever it changed, checked every <see cref="EventInterval"/>.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Where Orleans' own dashboard is mounted when the process hosts a silo.</summary>
    public const string OrleansPath = "/orleans";

    public static readonly TimeSpan EventInterval = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapSweepDashboard(this IEndpointRouteBuilder endpoints, bool withOrleansDashboard)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", (HttpContext context) => Page(context, DashboardPage.Html(withOrleansDashboard ? OrleansPath + "/" : null), "text/html; charset=utf-8"));
        endpoints.MapGet("/dashboard.js", (HttpContext context) => Page(context, DashboardPage.Script, "text/javascript; charset=utf-8"));
        endpoints.MapGet("/dashboard.css", (HttpContext context) => Page(context, DashboardPage.Style, "text/css; charset=utf-8"));
        endpoints.MapGet("/api/sweeps", async (SweepDashboardData data) => Results.Json(await data.ListAsync(), Json));
        endpoints.MapGet("/api/sweeps/{id}", async (string id, SweepDashboardData data, CancellationToken cancellationToken) =>
            await data.GetAsync(id, cancellationToken) is { } view ? Results.Json(view, Json) : Results.NotFound(new { error = $"no sweep '{id}'" }));
        endpoints.MapGet("/api/sweeps/{id}/events", StreamAsync);
        endpoints.MapGet("/api/sweeps/{id}/status", StatusAsync);
        return endpoints;
    }

    /// <summary>Registers what the routes need; <paramref name="grains"/> is the silo's or the client's grain factory.</summary>
    public static IServiceCollection AddSweepDashboard(this IServiceCollection services, DashboardSweeps sweeps)
    {
        services.AddSingleton(sweeps);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new SweepDashboardData(
            provider.GetRequiredService<IGrainFactory>(),
            sweeps,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<CheckpointActivations>()));
        return services;
    }

    private static async Task StreamAsync(string id, HttpContext context, SweepDashboardData data)
    {
        var cancellationToken = context.RequestAborted;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        string? last = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var view = await data.GetAsync(id, cancellationToken);
                // Checkpoint ages and the generation time change every second; compare the rest.
                var json = JsonSerializer.Serialize(view, Json);
                var comparable = view is null ? "null" : JsonSerializer.Serialize(view with { GeneratedAt = default, Runs = [.. view.Runs.Select(r => r with { CheckpointAgeSeconds = null })] }, Json);
                if (comparable != last)
                {
                    last = comparable;
                    await context.Response.WriteAsync($"data: {json}\n\n", cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                }

                await Task.Delay(EventInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    /// <summary>
    /// The sweep's status as <c>learnact status --json</c> prints it, for that command to read over HTTP rather
    /// than connect an Orleans client; the header names this cluster, so a client can tell it reached the process it meant.
    /// </summary>
    private static async Task<IResult> StatusAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var status = await grains.GetGrain<ISweepGrain>(id).GetStatusAsync();
        if (context.RequestServices.GetService<IOptions<ClusterOptions>>()?.Value.ClusterId is { } cluster)
        {
            context.Response.Headers[SweepStatusJson.ClusterHeader] = cluster;
        }

        return status.Phase == SweepPhase.Unknown
            ? Results.NotFound(new { error = $"no sweep '{id}'" })
            : Results.Json(status, SweepStatusJson.Options);
    }

    private static IResult Page(HttpContext context, string content, string type)
    {
        // Everything the page runs and draws comes from this server: no CDN, no inline script.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        return Results.Text(content, type);
    }
}
