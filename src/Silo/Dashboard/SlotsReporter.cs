using LearnedActivation.Grains.Dashboard;
using LearnedActivation.Grains.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>Tells the silo directory this silo's training slots every few seconds (the dashboard lists them).</summary>
internal sealed class SlotsReporter(IGrainFactory grains, ILocalSiloDetails silo, IOptions<TrainingSlotsOptions> slots, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var report = new SiloSlots(silo.SiloAddress, slots.Value.Slots, slots.Value.AcceptsRuns, time.GetUtcNow());
                await grains.GetGrain<ISiloDirectoryGrain>(ISiloDirectoryGrain.Key).ReportAsync(report);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be joining, or the directory moving: the next round reports again.
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
