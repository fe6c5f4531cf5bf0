using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// Which rows of which task each step of a multitask epoch trains on. Every step takes one full batch from EVERY
/// task (so each task gets exactly <see cref="StepsPerEpoch"/> batches of <c>batchSize</c> rows per epoch: equal
/// shares, whatever the tasks' sizes), and the step's loss is the plain mean of the task losses (<see cref="MultitaskLoss"/>).
/// An epoch has as many steps as the largest task needs to visit all its rows once; a smaller task reads its rows
/// as a stream of fresh permutations, one after another, so it is visited several times per epoch, each row as
/// often as every other (within one) and never twice before all have been seen. A pure function of
/// (rows, batch size, seed, epoch), like <see cref="EpochOrder"/>: a resumed run regenerates the same batches.
/// </summary>
/// <remarks>
/// Why all tasks in every step rather than round-robin (one task per step): with one Adam optimiser over all
/// parameters, a step that touches only task A still moves task B's outer network through Adam's momentum (its
/// moments are not zero), and B's update would count a step it did not take. A step over every task gives every
/// parameter a gradient every step and weights the tasks exactly equally by construction. Why equal shares rather
/// than proportional to size: proportional sampling would let the largest data set (covertype, 50,000 training
/// rows against 9,000 for MagicTelescope) dominate the shared activation, which is what the experiment must avoid.
/// </remarks>
public sealed class MultitaskSchedule
{
    private readonly int[] _rows;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly Dictionary<(int Task, int Epoch, int Pass), int[]> _permutations = [];

    /// <param name="trainRows">Training rows of each task, in task order.</param>
    /// <param name="batchSize">Rows per task per step.</param>
    /// <param name="seed">The run's seed.</param>
    public MultitaskSchedule(IReadOnlyList<int> trainRows, int batchSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(trainRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (trainRows.Count == 0 || trainRows.Any(r => r <= 0))
        {
            throw new ArgumentException($"every task needs training rows (got [{string.Join(", ", trainRows)}])", nameof(trainRows));
        }

        _rows = [.. trainRows];
        _batchSize = batchSize;
        _seed = seed;
        StepsPerEpoch = _rows.Max(r => (r + batchSize - 1) / batchSize);
    }

    public int TaskCount => _rows.Length;

    public int BatchSize => _batchSize;

    /// <summary>Steps of one epoch: enough batches for the largest task to see each of its rows once.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The training rows task <paramref name="task"/> contributes to step <paramref name="step"/> (0-based) of <paramref name="epoch"/> (1-based).</summary>
    public long[] Batch(int task, int epoch, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, _rows.Length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, StepsPerEpoch);
        var rows = _rows[task];
        var batch = new long[_batchSize];
        for (var i = 0; i < _batchSize; i++)
        {
            var position = ((long)step * _batchSize) + i;
            batch[i] = Permutation(task, epoch, (int)(position / rows))[(int)(position % rows)];
        }

        return batch;
    }

    /// <summary>Drops the permutations of epochs before <paramref name="epoch"/> (they are never asked for again).</summary>
    public void Forget(int epoch)
    {
        foreach (var key in _permutations.Keys.Where(k => k.Epoch < epoch).ToList())
        {
            _permutations.Remove(key);
        }
    }

    private int[] Permutation(int task, int epoch, int pass)
    {
        if (!_permutations.TryGetValue((task, epoch, pass), out var order))
        {
            order = EpochOrder.Permutation(_rows[task], SeedOf(task, pass), epoch);
            _permutations[(task, epoch, pass)] = order;
        }

        return order;
    }

    /// <summary>A seed per (task, pass), so no two tasks or passes share an order; the run's seed stays the root.</summary>
    private long SeedOf(int task, int pass) =>
        unchecked(_seed ^ (long)((ulong)(task + 1) * 0xD1B54A32D192ED03UL) ^ (long)((ulong)(pass + 1) * 0x8CB92BA72F3D8DD7UL));
}
