namespace LearnedActivation.Grains.Sweeps;

/// <summary>One grain timer that is re-armed (replacing the pending one) or cleared: the sweep grain's watch and its assembly each have one.</summary>
internal sealed class TimerSlot
{
    private IGrainTimer? _timer;

    public bool Armed => _timer is not null;

    /// <summary>Keeps the grain active while armed, so that what the timer has to do is not lost to idle deactivation.</summary>
    public void Arm(IGrainBase grain, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period) { KeepAlive = true });
    }

    public void Clear()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
