using System.Globalization;

namespace Tributary.Protocol.Generator;

/// <summary>
/// An inclusive version range as the schemas write it: "3+", "0-7", "5" or "none".
/// Open-ended ranges use <see cref="short.MaxValue"/> as their upper bound.
/// </summary>
public readonly record struct VersionRange(short Lowest, short Highest)
{
    public static readonly VersionRange None = new(1, 0);

    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Lowest > Highest;

    public bool IsOpenEnded => !IsEmpty && Highest == short.MaxValue;

    public static VersionRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed == "none")
        {
            return None;
        }

        if (trimmed.EndsWith('+'))
        {
            return new VersionRange(ParseShort(trimmed[..^1]), short.MaxValue);
        }

        var dash = trimmed.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return new VersionRange(ParseShort(trimmed[..dash]), ParseShort(trimmed[(dash + 1)..]));
        }

        var single = ParseShort(trimmed);
        return new VersionRange(single, single);
    }

    private static short ParseShort(string text) => short.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    public bool Contains(short version) => version >= Lowest && version <= Highest;

    public bool Contains(VersionRange other) => other.IsEmpty || (!IsEmpty && other.Lowest >= Lowest && other.Highest <= Highest);

    public VersionRange Intersect(VersionRange other)
    {
        var result = new VersionRange(Math.Max(Lowest, other.Lowest), Math.Min(Highest, other.Highest));
        return result.IsEmpty ? None : result;
    }

    public override string ToString()
    {
        if (IsEmpty)
        {
            return "none";
        }

        if (IsOpenEnded)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Lowest}+");
        }

        return Lowest == Highest
            ? Lowest.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Lowest}-{Highest}");
    }
}
