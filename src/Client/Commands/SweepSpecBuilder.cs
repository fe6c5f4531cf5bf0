using System.Globalization;
using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.IO;

namespace LearnedActivation.Client.Commands;

/// <summary>The sweep to run: the default study or a JSON spec, with the command line's overrides.</summary>
internal static class SweepSpecBuilder
{
    public static SweepSpec Build(SweepSettings settings)
    {
        SweepSpec spec;
        if (settings.Spec is { } file)
        {
            spec = SweepSpecJson.Parse(ReadSpec(file), Path.GetFileName(file), settings.Id ?? SweepSettings.DefaultId);
        }
        else
        {
            spec = SweepSpec.Default(settings.Id ?? SweepSettings.DefaultId);
        }

        if (settings.Id is { } id)
        {
            spec = spec with { Id = id };
        }

        if (settings.IsCluster)
        {
            // The silos read the file, under their data root: the name travels as written, resolved there, not here.
            if (settings.Data is not null || settings.Target is not null)
            {
                spec = spec with { Data = new DataSpec(settings.Data, settings.Target) };
            }
        }
        else if (settings.Data is not null || settings.Target is not null)
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

    /// <summary>
    /// A multitask spec (<see cref="MultitaskSpecJson"/>) as the sweep that runs it, with the command line's overrides
    /// (id, budget). Its files are relative to the spec, as a sweep's data file is; under <c>--cluster</c> they travel as
    /// written, resolved by the silos under their data root.
    /// </summary>
    public static SweepSpec BuildMultitask(SweepSettings settings, string specFile)
    {
        if (settings.Data is not null || settings.Target is not null)
        {
            throw new UsageException("--data/--target: a multitask spec names its tasks and holdout itself");
        }

        var multitask = MultitaskSpecJson.Parse(ReadSpec(specFile), Path.GetFileName(specFile), settings.Id ?? SweepSettings.DefaultId);
        var folder = Path.GetDirectoryName(Path.GetFullPath(specFile))!;
        DataSpec Resolve(DataSpec data)
        {
            if (settings.IsCluster)
            {
                return data;
            }

            var resolved = Path.GetFullPath(data.File!, folder);
            return data with { File = File.Exists(resolved) ? resolved : data.File };
        }

        multitask = multitask with
        {
            Id = settings.Id ?? multitask.Id,
            Budget = multitask.Budget with
            {
                Epochs = settings.Epochs ?? multitask.Budget.Epochs,
                Patience = settings.Patience ?? multitask.Budget.Patience,
                ActivationEval = settings.ActivationEval ?? multitask.Budget.ActivationEval,
            },
            Tasks = [.. multitask.Tasks.Select(Resolve)],
            Holdout = Resolve(multitask.Holdout),
        };
        return MultitaskSpecJson.FirstError(multitask) is { } error ? throw new UsageException(error) : multitask.ToSweep();
    }

    /// <summary>
    /// The spec's text, read only from a regular file no larger than <see cref="SweepSpecJson.MaxLength"/> bytes
    /// (a FIFO would block, <c>/dev/zero</c> never ends).
    /// </summary>
    internal static string ReadSpec(string file)
    {
        switch (UnixFile.KindOf(file))
        {
            case FileKind.Missing:
                throw new UsageException($"--spec: file not found: {file}");
            case FileKind.Regular:
                break;
            default:
                throw new UsageException($"--spec: {file} is not a regular file");
        }

        if (new FileInfo(file).Length > SweepSpecJson.MaxLength)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--spec: {file} is larger than {SweepSpecJson.MaxLength} bytes, the limit for a spec"));
        }

        return File.ReadAllText(file);
    }

    /// <summary>Silos may run elsewhere or in another folder: the sweep records an absolute path.</summary>
    internal static DataSpec LocalData(string? file, string? target)
    {
        // The factory owns the rules (target required, LEARNACT_DATA_DIR lookup) and their error messages.
        var source = (CsvDataSource)DataSourceFactory.Create(file, target);
        return new DataSpec(Path.GetFullPath(source.Path), source.TargetColumn);
    }
}
