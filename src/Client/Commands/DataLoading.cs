using LearnedActivation.Model.Data;
using Spectre.Console;

namespace LearnedActivation.Client.Commands;

/// <summary>Loads a data source with a spinner, splits it as the benchmark does and says what it got.</summary>
internal static class DataLoading
{
    public static async Task<(DataSplits Splits, string ContentHash)> LoadAndSplitAsync(IAnsiConsole console, IDataSource source, long seed, CancellationToken cancellationToken)
    {
        var data = await console.Status().StartAsync($"Loading {Markup.Escape(source.Description)}...", _ => source.LoadAsync(cancellationToken));
        var splits = BenchmarkSplit.Split(data, seed);
        console.MarkupLineInterpolated($"Data: {data.Source}: {data.Rows:N0} rows x {data.Width} features, target '{data.TargetName}' ({data.Mapping}); split {splits.Train.Rows:N0} train / {splits.Validation.Rows:N0} validation / {splits.Test.Rows:N0} test");
        return (splits, data.ContentHash());
    }
}
