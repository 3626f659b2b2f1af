using System.Globalization;

namespace Tributary.Operator.Validation;

/// <summary>
/// Parses Kubernetes resource quantities ("100Gi", "1.5", "500m", "1e3") into their value in base
/// units, following the grammar of k8s.io/apimachinery resource.Quantity.
/// </summary>
public static class QuantityParser
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m),
        ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>True when <paramref name="text"/> is a valid quantity; <paramref name="value"/> is in base units.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var numberLength = NumberLength(s);
        if (numberLength == 0)
        {
            return false;
        }

        if (!decimal.TryParse(s[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = s[numberLength..];
        decimal factor = 1;
        if (suffix.Length > 0)
        {
            if (suffix[0] is 'e' or 'E' && suffix.Length > 1)
            {
                // Decimal exponent: e3, E-2. A bare "E" is the exa suffix, handled below.
                var exponentText = suffix[1..];
                var sign = 1;
                if (exponentText[0] is '+' or '-')
                {
                    sign = exponentText[0] == '-' ? -1 : 1;
                    exponentText = exponentText[1..];
                }

                if (exponentText.Length == 0 || exponentText.Length > 2 || !AllDigits(exponentText)
                    || !int.TryParse(exponentText, NumberStyles.None, CultureInfo.InvariantCulture, out var exponent))
                {
                    return false;
                }

                factor = Pow10(sign * exponent);
            }
            else
            {
                var match = -1;
                for (var i = 0; i < Suffixes.Length && match < 0; i++)
                {
                    if (suffix.SequenceEqual(Suffixes[i].Suffix))
                    {
                        match = i;
                    }
                }

                if (match < 0)
                {
                    return false;
                }

                factor = Suffixes[match].Factor;
            }
        }

        try
        {
            value = number * factor * (negative ? -1 : 1);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    // Length of the leading "digits[.digits]" or ".digits" part.
    private static int NumberLength(ReadOnlySpan<char> s)
    {
        var i = 0;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                digits++;
            }
        }

        return digits == 0 ? 0 : i;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static decimal Pow10(int exponent)
    {
        if (exponent > 27 || exponent < -27)
        {
            throw new OverflowException();
        }

        decimal result = 1;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10;
        }

        return exponent < 0 ? 1 / result : result;
    }
}
