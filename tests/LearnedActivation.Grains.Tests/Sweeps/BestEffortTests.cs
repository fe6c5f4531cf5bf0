using LearnedActivation.Grains.Sweeps;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Tests.Sweeps;

public sealed class BestEffortTests
{
    private readonly ListLogger _logger = new();

    [Fact]
    public async Task ACallThatSucceedsRunsOnceAndLogsNothing()
    {
        var calls = 0;

        await BestEffort.TryAsync(_logger, "s", () =>
        {
            calls++;
            return Task.CompletedTask;
        });

        Assert.Equal(1, calls);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task AFailedCallIsLoggedWithItsSweepAndNotThrown()
    {
        var failure = new InvalidOperationException("board down");

        await BestEffort.TryAsync(_logger, "s", () => Task.FromException(failure));

        var (level, message, exception) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("Sweep s: a call failed; the watch repairs it later", message);
        Assert.Same(failure, exception);
    }

    [Fact]
    public async Task ACancellationIsNotSwallowed()
    {
        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            BestEffort.TryAsync(_logger, "s", () => Task.FromException(new OperationCanceledException())));
        Assert.Empty(_logger.Entries);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
