using System.Globalization;

namespace Tributary.Protocol.Generator;

/// <summary>
/// Turns a version range into a C# condition on the local <c>version</c>, simplified against the
/// versions that can reach the code ("true" and "false" are returned as literals so callers can
/// drop dead branches).
/// </summary>
public static class VersionConditions
{
    public const string True = "true";
    public const string False = "false";

    public static string For(VersionRange range, VersionRange context)
    {
        var inside = range.Intersect(context);
        if (inside.IsEmpty)
        {
            return False;
        }

        if (inside == context)
        {
            return True;
        }

        var parts = new List<string>(2);
        if (inside.Lowest > context.Lowest)
        {
            parts.Add("version >= " + inside.Lowest.ToString(CultureInfo.InvariantCulture));
        }

        if (inside.Highest < context.Highest)
        {
            parts.Add("version <= " + inside.Highest.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join(" && ", parts);
    }

    /// <summary>"a ? b : c" with constant conditions folded.</summary>
    public static string Ternary(string condition, string whenTrue, string whenFalse) => condition switch
    {
        True => whenTrue,
        False => whenFalse,
        _ when whenTrue == whenFalse => whenTrue,
        _ => $"({condition} ? {whenTrue} : {whenFalse})",
    };

    /// <summary>Conjunction with constant folding.</summary>
    public static string And(string left, string right)
    {
        if (left == False || right == False)
        {
            return False;
        }

        if (left == True)
        {
            return right;
        }

        if (right == True)
        {
            return left;
        }

        return $"{Wrap(left)} && {Wrap(right)}";
    }

    public static string Not(string condition) => condition switch
    {
        True => False,
        False => True,
        _ => $"!({condition})",
    };

    private static string Wrap(string condition) => condition.Contains("||", StringComparison.Ordinal) ? $"({condition})" : condition;
}
