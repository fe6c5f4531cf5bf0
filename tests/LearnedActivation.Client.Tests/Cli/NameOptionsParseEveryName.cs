using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Commands;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Client.Tests.Cli;

/// <summary>
/// The one mechanism behind every name-valued option: a <see cref="NameOption{T}"/> turns each name of the enum
/// into its value and refuses anything else naming the option and the accepted names, which help and defaults
/// also take from the enum and the configuration types.
/// </summary>
public sealed class NameOptionsParseEveryName
{
    [Fact]
    public void EveryNameOfEachEnumConvertsToItsValueIgnoringCase()
    {
        AssertConvertsEveryName<BaseActivation>(new BaseOption());
        AssertConvertsEveryName<SizePreset>(new OuterSizeOption());
        AssertConvertsEveryName<SizePreset>(new ActivationSizeOption());
        AssertConvertsEveryName<ActivationEvaluation>(new EvaluationModeOption());
        AssertConvertsEveryName<StudyArm>(new ArmOption());
    }

    [Fact]
    public void AnUnknownNameIsRefusedNamingTheOptionTheValueAndTheAcceptedNames()
    {
        Assert.Equal($"--base: unknown base activation 'swish' (expected {Names.Accepted<BaseActivation>()})", Refusal(new BaseOption(), "swish"));
        Assert.Equal("--outer: unknown size 'huge' (expected small|medium|large)", Refusal(new OuterSizeOption(), "huge"));
        Assert.Equal("--act: unknown size '' (expected small|medium|large)", Refusal(new ActivationSizeOption(), string.Empty));
        Assert.Equal("--activation-eval: unknown mode 'fast' (expected exact|fused|grid)", Refusal(new EvaluationModeOption(), "fast"));
    }

    [Fact]
    public void TrainsDefaultsAreTheConfigurationTypesDefaults()
    {
        var settings = new TrainSettings();

        Assert.Equal(new ModelConfig(ModelConfig.DefaultBase, ModelConfig.DefaultSize, ModelConfig.DefaultSize), settings.ToModelConfig());
        Assert.Equal(new TrainConfig(), settings.ToTrainConfig());
    }

    [Theory]
    [InlineData(nameof(TrainSettings.Base), "tanh")]
    [InlineData(nameof(TrainSettings.Outer), "small")]
    [InlineData(nameof(TrainSettings.Act), "small")]
    [InlineData(nameof(TrainSettings.ActivationEval), "grid")]
    [InlineData(nameof(TrainSettings.Arm), "learned")]
    public void HelpShowsADefaultNameThatTheOptionConvertsBackToTheDefault(string property, string shown)
    {
        var info = typeof(TrainSettings).GetProperty(property)!;
        var defaultValue = info.GetCustomAttribute<DefaultValueAttribute>()!.Value;
        var converterType = Type.GetType(info.GetCustomAttribute<TypeConverterAttribute>()!.ConverterTypeName, throwOnError: true)!;
        var converter = (TypeConverter)Activator.CreateInstance(converterType)!;

        Assert.Equal(shown, defaultValue);
        Assert.Equal(info.GetValue(new TrainSettings()), converter.ConvertFrom(null, CultureInfo.InvariantCulture, defaultValue!));
    }

    [Fact]
    public void HelpListsTheAcceptedNamesFromTheEnums()
    {
        Assert.Equal($"Base activation inside the activation network: {Names.Accepted<BaseActivation>()}.", Description<TrainSettings>(nameof(TrainSettings.Base)));
        Assert.StartsWith($"How the activation network is computed: {Names.Accepted<ActivationEvaluation>()} (", Description<TrainSettings>(nameof(TrainSettings.ActivationEval)), StringComparison.Ordinal);
        Assert.Equal($"{Names.Accepted<ActivationEvaluation>()} (overrides the spec; default {Names.Of(TrainConfig.DefaultActivationEval)}).", Description<SweepSettings>(nameof(SweepSettings.ActivationEval)));
        Assert.Equal("Outer network size: small [[48,24]] | medium [[48,24,16]] | large [[96,48,32]].", Description<TrainSettings>(nameof(TrainSettings.Outer)));
    }

    private static void AssertConvertsEveryName<T>(TypeConverter converter)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            Assert.Equal(value, converter.ConvertFrom(null, CultureInfo.InvariantCulture, Names.Of(value)));
            Assert.Equal(value, converter.ConvertFrom(null, CultureInfo.InvariantCulture, Names.Of(value).ToUpperInvariant()));
        }
    }

    private static string Refusal(TypeConverter converter, string text) =>
        Assert.Throws<UsageException>(() => converter.ConvertFrom(null, CultureInfo.InvariantCulture, text)).Message;

    private static string Description<TSettings>(string property) =>
        typeof(TSettings).GetProperty(property)!.GetCustomAttribute<DescriptionAttribute>()!.Description;
}
