using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Tests.Plots;

public sealed class FigureTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ActivationPlotWritesPngWithLearnedBaseAndPreActivationHistogram()
    {
        var samples = SyntheticRuns.Normal(20_000, mean: 0.4, std: 1.6, seed: 1);
        var range = XRange.FromSamples(samples);
        var x = range.Linspace();
        var figure = new LearnedActivationFigure(
            LearnedActivationFigure.TitleFor(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small),
            SyntheticRuns.Learned(BaseActivation.Tanh, x, variant: 1),
            BaseCurves.Of(BaseActivation.Tanh, x, "tanh (base)"),
            ValueHistogram.FromSamples(samples, range));
        var path = _directory.File(new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small).ActivationPlotFileName);

        ActivationPlot.Save(path, figure);

        PngFile.AssertValid(path, 800, 600);
    }

    [Fact]
    public void ActivationPlotWorksWithoutBaseOrHistogramAndHonoursSize()
    {
        var x = XRange.Default.Linspace();
        var path = _directory.File("activation_plain.png");

        ActivationPlot.Save(path, new LearnedActivationFigure("learned only", SyntheticRuns.Learned(BaseActivation.Relu, x, 2)), 640, 480);

        PngFile.AssertValid(path, 640, 480);
    }

    [Fact]
    public void SaveCreatesMissingFoldersAndOverwritesWithoutLeavingTemporaryFiles()
    {
        var path = Path.Combine(_directory.Path, "nested", "deeper", "plot.png");
        var figure = new LearnedActivationFigure("t", SyntheticRuns.Learned(BaseActivation.Gelu, XRange.Default.Linspace(), 0));

        ActivationPlot.Save(path, figure);
        ActivationPlot.Save(path, figure);

        PngFile.AssertValid(path, 800, 600);
        Assert.Equal(["plot.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void LearningCurvePlotWritesPng()
    {
        var path = _directory.File("learning_curve_tanh_small_medium.png");

        LearningCurvePlot.Save(path, "learning curves: tanh_small_medium", SyntheticRuns.Run("tanh_small_medium", 20, 0.78));

        PngFile.AssertValid(path, 800, 600);
    }

    [Fact]
    public void LearningCurvePlotAcceptsSeriesOfDifferentLengths()
    {
        var path = _directory.File("learning_curve_partial.png");
        var run = SyntheticRuns.Run("partial", 12, 0.75) with { ValidationLoss = [] };

        LearningCurvePlot.Save(path, "a run that stopped early", run);

        PngFile.AssertValid(path, 800, 600);
    }

    [Fact]
    public void LearningCurvesPlotWritesPngForManyRuns()
    {
        var sizes = Enum.GetValues<SizePreset>();
        var runs = sizes.SelectMany(o => sizes.Select(a => new ModelConfig(BaseActivation.Gelu, o, a)))
            .Select((config, i) => SeedBand.Of(config.Name, [
                SyntheticRuns.Run(config.Name, 20, 0.74 + (0.005 * i)).ValidationAccuracy,
                SyntheticRuns.Run(config.Name, 14, 0.73 + (0.005 * i)).ValidationAccuracy]))
            .ToArray();
        var path = _directory.File("learning_curves_gelu.png");

        LearningCurvesPlot.Save(path, "validation accuracy: gelu base", runs);

        PngFile.AssertValid(path, 1000, 600);
    }

    [Fact]
    public void SeedBandIsTheMeanAndRangeOfTheSeedsThatTrainedEachEpoch()
    {
        var band = SeedBand.Of("tanh_small_small", [[0.70, 0.74, 0.76], [0.72, 0.78], [0.68]]);

        Assert.Equal([0.70, 0.76, 0.76], band.Mean.Select(m => Math.Round(m, 12)));
        Assert.Equal([0.68, 0.74, 0.76], band.Low);
        Assert.Equal([0.72, 0.78, 0.76], band.High);
        Assert.Equal([3, 2, 1], band.SeedsAt);
        Assert.True(band.HasSpread);
        Assert.False(SeedBand.Of("one seed", [[0.7, 0.8]]).HasSpread);
    }

    [Fact]
    public void ReferenceFunctionsPlotWritesPng()
    {
        var path = _directory.File("reference_functions.png");

        ReferenceFunctionsPlot.Save(path, StudyPresets.Bases);

        PngFile.AssertValid(path, 1200, 450);
    }

    [Fact]
    public void ReferenceFunctionsPlotDrawsWhicheverBasesItIsGiven()
    {
        var path = _directory.File("reference_functions.png");

        ReferenceFunctionsPlot.Save(path, Enum.GetValues<BaseActivation>());

        PngFile.AssertValid(path, 1200, 450);
        Assert.Throws<ArgumentException>(() => ReferenceFunctionsPlot.Save(_directory.File("none.png"), []));
    }

    [Fact]
    public void OverlayPlotWritesPng()
    {
        var x = new XRange(-4, 4).Linspace();
        var sizes = Enum.GetValues<SizePreset>();
        var learned = sizes.SelectMany(o => sizes.Select(a => (o, a)))
            .Select((c, i) => SyntheticRuns.Learned(BaseActivation.Tanh, x, i, ActivationGridPlot.PanelTitle(c.o, c.a)))
            .ToArray();
        var path = _directory.File("overlay_tanh.png");

        OverlayPlot.Save(path, "learned activations, tanh base (affinely normalised)", BaseCurves.Of(BaseActivation.Tanh, x, "tanh (base)"), learned);

        PngFile.AssertValid(path, 1000, 650);
    }

    [Fact]
    public void ActivationGridPlotWritesFullGrid()
    {
        var path = _directory.File("grid_relu.png");

        ActivationGridPlot.Save(path, "learned activations, relu base", GridCells(BaseActivation.Relu, missing: []));

        PngFile.AssertValid(path, 1350, 1100);
    }

    [Fact]
    public void ActivationGridPlotDrawsMissingCellsForFailedAndAbsentRuns()
    {
        var failed = (SizePreset.Medium, SizePreset.Large);
        var cells = GridCells(BaseActivation.Gelu, missing: [failed])
            .Where(c => (c.Outer, c.Activation) != (SizePreset.Large, SizePreset.Small))
            .ToArray();
        Assert.Equal(8, cells.Length);
        var path = _directory.File("grid_gelu_missing.png");

        ActivationGridPlot.Save(path, "learned activations, gelu base (two runs missing)", cells);

        PngFile.AssertValid(path, 1350, 1100);
    }

    [Fact]
    public void ActivationGridPlotWithNoResultsStillWritesAllMissingGrid()
    {
        var path = _directory.File("grid_empty.png");

        ActivationGridPlot.Save(path, "nothing finished yet", []);

        PngFile.AssertValid(path, 1350, 1100);
    }

    [Fact]
    public void ActivationGridPlotRejectsTheSameCellTwice()
    {
        var x = XRange.Default.Linspace();
        var cell = new ActivationGridCell(SizePreset.Small, SizePreset.Small, SyntheticRuns.Learned(BaseActivation.Tanh, x, 0));

        var error = Assert.Throws<ArgumentException>(() => ActivationGridPlot.Save(_directory.File("dup.png"), "dup", [cell, cell]));

        Assert.Contains("outer small / act small", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("dup.png")));
    }

    [Fact]
    public void FiguresCanBeSavedConcurrently()
    {
        // The coordinator and several training runs may draw at the same time in one process.
        var x = XRange.Default.Linspace();
        var paths = Enumerable.Range(0, 6).Select(i => _directory.File($"concurrent_{i}.png")).ToArray();

        Parallel.For(0, paths.Length, i =>
        {
            if (i % 2 == 0)
            {
                ActivationPlot.Save(paths[i], new LearnedActivationFigure($"run {i}", SyntheticRuns.Learned(BaseActivation.Gelu, x, i), BaseCurves.Of(BaseActivation.Gelu, x)));
            }
            else
            {
                ActivationGridPlot.Save(paths[i], $"grid {i}", GridCells(BaseActivation.Tanh, missing: []), 900, 700);
            }
        });

        for (var i = 0; i < paths.Length; i++)
        {
            PngFile.AssertValid(paths[i], i % 2 == 0 ? 800 : 900, i % 2 == 0 ? 600 : 700);
        }
    }

    [Fact]
    public void PanelTitleNamesOuterThenActivationSize()
    {
        Assert.Equal("outer medium / act small", ActivationGridPlot.PanelTitle(SizePreset.Medium, SizePreset.Small));
    }

    [Theory]
    [InlineData(0, 600)]
    [InlineData(800, 99)]
    public void SaveRejectsTooSmallImages(int width, int height)
    {
        var figure = new LearnedActivationFigure("t", SyntheticRuns.Learned(BaseActivation.Tanh, XRange.Default.Linspace(), 0));

        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationPlot.Save(_directory.File("small.png"), figure, width, height));
    }

    private static IEnumerable<ActivationGridCell> GridCells(BaseActivation activation, (SizePreset, SizePreset)[] missing)
    {
        var x = new XRange(-4, 4).Linspace();
        var baseCurve = BaseCurves.Of(activation, x);
        var variant = 0;
        foreach (var outer in Enum.GetValues<SizePreset>())
        {
            foreach (var act in Enum.GetValues<SizePreset>())
            {
                var learned = missing.Contains((outer, act)) ? null : SyntheticRuns.Learned(activation, x, variant);
                variant++;
                yield return new ActivationGridCell(outer, act, learned, baseCurve);
            }
        }
    }
}
