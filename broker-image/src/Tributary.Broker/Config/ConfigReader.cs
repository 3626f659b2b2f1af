using System.Globalization;

namespace Tributary.Broker.Config;

/// <summary>
/// Typed, validating reads over a merged key/value map. Remembers which keys were consulted so
/// that whatever is left over can be reported as unknown. Values are trimmed, as Kafka's ConfigDef does.
/// </summary>
internal sealed class ConfigReader
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ConfigReader(IReadOnlyDictionary<string, string> values) => _values = values;

    /// <summary>Marks keys Tributary accepts but does not act on (so they are not reported as unknown).</summary>
    public void Accept(IEnumerable<string> keys) => _known.UnionWith(keys);

    public bool Has(string key)
    {
        _known.Add(key);
        return _values.ContainsKey(key);
    }

    public string? GetString(string key)
    {
        _known.Add(key);
        return _values.TryGetValue(key, out string? v) ? v.Trim() : null;
    }

    public string GetString(string key, string defaultValue) => GetString(key) ?? defaultValue;

    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetLong(key, defaultValue, min, max);

    public int? GetOptionalInt(string key, int min = int.MinValue, int max = int.MaxValue) =>
        GetString(key) is null ? null : GetInt(key, 0, min, max);

    public long GetLong(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        string? text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new ConfigException(key, text, "expected an integer");
        }

        if (value < min)
        {
            throw new ConfigException(key, text, $"must be at least {min}");
        }

        if (value > max)
        {
            throw new ConfigException(key, text, $"must be at most {max}");
        }

        return value;
    }

    public long? GetOptionalLong(string key, long min = long.MinValue, long max = long.MaxValue) =>
        GetString(key) is null ? null : GetLong(key, 0, min, max);

    public bool GetBool(string key, bool defaultValue)
    {
        string? text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out bool value))
        {
            return value;
        }

        throw new ConfigException(key, text, "expected true or false");
    }

    /// <summary>A comma-separated list; blanks between commas are dropped.</summary>
    public IReadOnlyList<string> GetList(string key, string defaultValue) =>
        SplitList(GetString(key) ?? defaultValue);

    public IEnumerable<string> UnknownKeys() => _values.Keys.Where(k => !_known.Contains(k) && !IsPrefixKnown(k));

    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    // Per-listener overrides (listener.name.<name>.ssl.keystore.location...) are consumed by the
    // security layer later; they are standard Kafka keys, not typos.
    private static bool IsPrefixKnown(string key) =>
        key.StartsWith("listener.name.", StringComparison.Ordinal);
}
