namespace LearnedActivation.Model.Tests.Support;

/// <summary>Reports on the calling thread, at once (<see cref="Progress{T}"/> would post to the thread pool).</summary>
public sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
