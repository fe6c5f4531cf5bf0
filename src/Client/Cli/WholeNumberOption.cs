using System.Globalization;
using System.Numerics;

namespace LearnedActivation.Client.Cli;

/// <summary>The value of a whole-number option: "--seed: 'abc' is not a whole number", or out of the type's range.</summary>
internal abstract class WholeNumberOption<T>(string option) : OptionValueConverter<T>(option)
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    protected override T Parse(string text)
    {
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var reason = BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? string.Create(CultureInfo.InvariantCulture, $"is out of range ({T.MinValue} to {T.MaxValue})")
            : "is not a whole number";
        throw new UsageException($"{Option}: '{text}' {reason}");
    }
}

/// <summary>The value of <c>--max-epochs</c> (or its older name <c>--epochs</c>).</summary>
internal sealed class EpochsOption() : WholeNumberOption<int>("--max-epochs");

/// <summary>The value of <c>--patience</c>.</summary>
internal sealed class PatienceOption() : WholeNumberOption<int>("--patience");

/// <summary>The value of <c>--seed</c>.</summary>
internal sealed class SeedOption() : WholeNumberOption<long>("--seed");

/// <summary>The value of <c>--threads</c>.</summary>
internal sealed class ThreadsOption() : WholeNumberOption<int>("--threads");

/// <summary>The value of <c>--slots</c>.</summary>
internal sealed class SlotsOption() : WholeNumberOption<int>("--slots");

internal sealed class SeedsOption() : WholeNumberOption<int>("--seeds");

/// <summary>The value of <c>--batch-size</c>.</summary>
internal sealed class BatchSizeOption() : WholeNumberOption<int>("--batch-size");
