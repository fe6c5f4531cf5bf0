using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;

namespace LearnedActivation.Client.Commands;

/// <summary>The sweep to run: the default study or a JSON spec, with the command line's overrides.</summary>
internal static class SweepSpecBuilder
{
    public static SweepSpec Build(SweepSettings settings)
    {
        SweepSpec spec;
        if (settings.Spec is { } file)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"--spec: file not found: {file}");
            }

            spec = SweepSpecJson.Parse(File.ReadAllText(file), Path.GetFileName(file), settings.Id ?? SweepSettings.DefaultId);
        }
        else
        {
            spec = SweepSpec.Default(settings.Id ?? SweepSettings.DefaultId);
        }

        if (settings.Id is { } id)
        {
            spec = spec with { Id = id };
        }

        if (settings.Data is not null || settings.Target is not null)
        {
            spec = spec with { Data = LocalData(settings.Data, settings.Target) };
        }
        else if (spec.Data.File is { } specFile && settings.Spec is { } specPath)
        {
            // A data file named in a spec is relative to the spec, not to wherever the command runs.
            var resolved = Path.GetFullPath(specFile, Path.GetDirectoryName(Path.GetFullPath(specPath))!);
            spec = spec with { Data = spec.Data with { File = File.Exists(resolved) ? resolved : specFile } };
        }

        if (settings.Epochs is { } epochs)
        {
            spec = spec with { Budget = spec.Budget with { Epochs = epochs } };
        }

        if (settings.Patience is { } patience)
        {
            spec = spec with { Budget = spec.Budget with { Patience = patience } };
        }

        if (settings.ActivationEval is { } mode)
        {
            spec = spec with { Budget = spec.Budget with { ActivationEval = mode } };
        }

        if (SweepSpecValidator.FirstError(spec) is { } error)
        {
            throw new UsageException(error);
        }

        return spec;
    }

    /// <summary>Silos may run elsewhere or in another folder: the sweep records an absolute path.</summary>
    private static DataSpec LocalData(string? file, string? target)
    {
        // The factory owns the rules (target required, LEARNACT_DATA_DIR lookup) and their error messages.
        var source = (CsvDataSource)DataSourceFactory.Create(file, target);
        return new DataSpec(Path.GetFullPath(source.Path), source.TargetColumn);
    }
}
