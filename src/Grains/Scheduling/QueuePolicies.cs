namespace LearnedActivation.Grains.Scheduling;

/// <summary>The queue policies silos can be configured with (<see cref="RunSchedulingOptions.QueuePolicy"/>): the one place names map to types.</summary>
public static class QueuePolicies
{
    private static readonly Dictionary<string, IQueuePolicy> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        [ProgressFirstPolicy.Name] = new ProgressFirstPolicy(),
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool Exists(string? name) => name is not null && ByName.ContainsKey(name);

    public static IQueuePolicy Named(string name) =>
        ByName.TryGetValue(name, out var policy)
            ? policy
            : throw new ArgumentException($"unknown queue policy '{name}' (known: {string.Join(", ", Names)})", nameof(name));
}
