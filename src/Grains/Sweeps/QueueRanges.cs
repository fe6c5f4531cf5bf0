using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// A queue of runs written as ranges of consecutive positions in the spec's run order: <c>[start, count]</c> pairs,
/// in queue order. A queue in spec order is one pair however long it is; each run readmitted out of order adds one.
/// </summary>
public static class QueueRanges
{
    /// <summary>The ranges of <paramref name="queue"/>; throws for a name the spec does not have (the queue only ever holds spec runs).</summary>
    public static List<int[]> Compress(IReadOnlyList<string> queue, IReadOnlyDictionary<string, int> specOrder)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(specOrder);
        var ranges = new List<int[]>();
        foreach (var name in queue)
        {
            var position = specOrder.TryGetValue(name, out var p) ? p : throw new InvalidOperationException($"queued run '{name}' is not in the spec");
            if (ranges.Count > 0 && ranges[^1] is var last && last[0] + last[1] == position)
            {
                last[1]++;
            }
            else
            {
                ranges.Add([position, 1]);
            }
        }

        return ranges;
    }

    /// <summary>The run names the ranges stand for; a range outside the spec's runs means the state does not belong to this spec.</summary>
    public static List<string> Expand(IReadOnlyList<int[]> ranges, IReadOnlyList<RunDefinition> specRuns)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(specRuns);
        var queue = new List<string>();
        foreach (var range in ranges)
        {
            if (range is not [var start, var count] || start < 0 || count < 1 || start > specRuns.Count - count)
            {
                throw new InvalidOperationException($"stored queue range [{string.Join(", ", range ?? [])}] is outside the spec's {specRuns.Count} runs");
            }

            for (var i = start; i < start + count; i++)
            {
                queue.Add(specRuns[i].ConfigName);
            }
        }

        return queue;
    }
}
