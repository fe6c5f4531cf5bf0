using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace LearnedActivation.Grains.Runs;

/// <summary>
/// Places new run activations on the compatible silos in turn. Runs are started together by the sweep
/// grain, so the silo that hosts it places them all and turn-taking spreads them evenly; each silo's
/// <see cref="Execution.TrainingWorker"/> then limits how many train at once. (Orleans' random placement
/// can put most runs on one silo; its load-based placement looks at activation counts, which say
/// nothing about training, and refreshes them too slowly for a burst of placements.)
/// </summary>
[GenerateSerializer, Immutable, Alias("la.SpreadPlacement")]
public sealed class SpreadPlacement : PlacementStrategy
{
    internal static SpreadPlacement Singleton { get; } = new();
}

/// <summary>Marks a grain class for <see cref="SpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpreadPlacementAttribute : PlacementAttribute
{
    public SpreadPlacementAttribute()
        : base(SpreadPlacement.Singleton)
    {
    }
}

/// <summary>Turn-taking over the compatible silos, in address order.</summary>
public sealed class SpreadPlacementDirector : IPlacementDirector
{
    private long _next = -1;

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0)
        {
            throw new OrleansException($"no compatible silo for {target.GrainIdentity}");
        }

        var turn = Interlocked.Increment(ref _next);
        return Task.FromResult(silos[(int)(turn % silos.Length)]);
    }
}
