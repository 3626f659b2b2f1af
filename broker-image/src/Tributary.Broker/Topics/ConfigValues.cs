using System.Globalization;

namespace Tributary.Broker.Topics;

/// <summary>Parses config value strings the way Kafka's ConfigDef does (trimmed, invariant culture).</summary>
public static class ConfigValues
{
    public static bool TryParseInt(string text, out int value) =>
        int.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseLong(string text, out long value) =>
        long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Kafka accepts <c>true</c>/<c>false</c> in any case.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        var t = text.AsSpan().Trim();
        if (t.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return t.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A comma-separated list, elements trimmed, empty elements dropped.</summary>
    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static string JoinList(IEnumerable<string> items) => string.Join(',', items);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(bool value) => value ? "true" : "false";
}
