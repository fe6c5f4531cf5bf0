namespace LearnedActivation.Grains.Sweeps;

/// <summary>One grain timer that is re-armed (replacing the pending one) or cleared: the sweep grain's watch and its assembly each have one.</summary>
internal sealed class TimerSlot(TimerSlot.Registrar? register = null)
{
    private readonly Registrar _register = register ?? ((grain, callback, options) => grain.RegisterGrainTimer(callback, options));
    private IGrainTimer? _timer;

    /// <summary>How a timer is registered: with the grain's timer registry, or, in a unit test, with a stand-in.</summary>
    internal delegate IGrainTimer Registrar(IGrainBase grain, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options);

    public bool Armed => _timer is not null;

    /// <summary>Keeps the grain active while armed, so that what the timer has to do is not lost to idle deactivation.</summary>
    public void Arm(IGrainBase grain, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        _timer?.Dispose();
        _timer = _register(grain, callback, new GrainTimerCreationOptions(dueTime, period) { KeepAlive = true });
    }

    public void Clear()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
