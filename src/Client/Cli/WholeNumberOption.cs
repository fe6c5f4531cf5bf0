using System.ComponentModel;
using System.Globalization;
using System.Numerics;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// Converts the value of a whole-number option, and refuses a bad one with a line that names the option
/// ("--seed: 'abc' is not a whole number"). Spectre's own converters say only "Failed to convert 'abc' to
/// Int64.": a converter is given no context, so each option names itself through a subclass (see below).
/// Spectre wraps the <see cref="UsageException"/> in its own; <see cref="LearnactApp"/> unwraps it.
/// </summary>
internal abstract class WholeNumberOption<T>(string option) : TypeConverter
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(T) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is T number)
        {
            return number;
        }

        if (value is not string text)
        {
            return base.ConvertFrom(context, culture, value);
        }

        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        var reason = BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? string.Create(CultureInfo.InvariantCulture, $"is out of range ({T.MinValue} to {T.MaxValue})")
            : "is not a whole number";
        throw new UsageException($"{option}: '{text}' {reason}");
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
