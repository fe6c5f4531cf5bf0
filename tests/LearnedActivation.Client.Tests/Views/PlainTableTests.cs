using LearnedActivation.Client.Views;
using Spectre.Console;
using Spectre.Console.Testing;

namespace LearnedActivation.Client.Tests.Views;

/// <summary>The status table written line by line prints what Spectre's own table prints, colours included.</summary>
public sealed class PlainTableTests
{
    [Theory]
    [InlineData(200, ColorSystem.Standard)]
    [InlineData(200, ColorSystem.TrueColor)]
    [InlineData(200, ColorSystem.NoColors)]
    [InlineData(73, ColorSystem.Standard)]
    [InlineData(40, ColorSystem.Standard)]
    public void PrintsWhatSpectresTablePrints(int width, ColorSystem colors)
    {
        var table = new PlainTable(
            ["sweep ", new PlainCell("study", new Style(decoration: Decoration.Bold)), ": running"],
            [("run", false), ("phase", false), ("epoch", true), ("val acc", true), ("silo", false)]);
        table.AddRow("tanh_small_small", new PlainCell("completed", Color.Green), "3/3", "0.6185", "127.0.0.1:11111");
        table.AddRow("relu_large_large_s19", new PlainCell("interrupted", Color.Yellow), "10/50", "-", "-");
        table.AddRow("gelu_medium_small", "queued", "0/50", "0.5", "[not markup]");

        Assert.Equal(Printed(table.SpectreTable(), width, colors), Printed(table, width, colors));
    }

    [Fact]
    public void FitsAndHasOneLinePerRunPlusTitleAndBorders()
    {
        var table = new PlainTable(["t"], [("run", false), ("phase", false)]);
        for (var i = 0; i < 2700; i++)
        {
            table.AddRow($"tanh_small_small_s{i}", new PlainCell("completed", Color.Green));
        }

        var lines = Printed(table, 200).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 3 + 2700 + 1, lines.Length);
    }

    private static string Printed(Spectre.Console.Rendering.IRenderable renderable, int width, ColorSystem colors = ColorSystem.Standard)
    {
        var console = new TestConsole().Width(width).Colors(colors).EmitAnsiSequences();
        console.Write(renderable);
        return console.Output;
    }
}
