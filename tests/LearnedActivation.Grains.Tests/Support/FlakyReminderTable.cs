using System.Collections.Concurrent;

namespace LearnedActivation.Grains.Tests.Support;

/// <summary>
/// A reminder table in memory whose first <c>failures</c> writes throw, as a Redis reminder table does when Redis
/// is slow (a loaded machine) or away for a moment.
/// </summary>
public sealed class FlakyReminderTable(int failures) : IReminderTable
{
    private readonly int _failures = failures;
    private readonly ConcurrentDictionary<(GrainId Grain, string Name), ReminderEntry> _rows = new();
    private int _failuresLeft = failures;

    /// <summary>Writes refused so far.</summary>
    public int Refused => _failures - Math.Max(0, Volatile.Read(ref _failuresLeft));

    /// <summary>The names of the reminders stored for <paramref name="grain"/>.</summary>
    public IReadOnlyList<string> Names(GrainId grain) => [.. _rows.Keys.Where(k => k.Grain == grain).Select(k => k.Name)];

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId == grainId).ToList()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).ToList()));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? row : null);

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new TimeoutException("the reminder table did not answer in time (a test fault)");
        }

        entry.ETag = Guid.NewGuid().ToString();
        _rows[(entry.GrainId, entry.ReminderName)] = entry;
        return Task.FromResult<string?>(entry.ETag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        Task.FromResult(_rows.TryRemove((grainId, reminderName), out _));

    public Task TestOnlyClearTable()
    {
        _rows.Clear();
        return Task.CompletedTask;
    }

    /// <summary>The ring range (begin, end], which wraps around when begin is not below end.</summary>
    private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
