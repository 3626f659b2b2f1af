namespace Tributary.Broker.Config;

/// <summary>
/// A configuration value the broker refuses to start with. The message always names the key
/// and the offending value so an operator can fix the file without reading code.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string key, string? value, string reason)
        : base(value is null
            ? $"Invalid configuration '{key}': {reason}"
            : $"Invalid configuration '{key}' = '{value}': {reason}")
    {
        Key = key;
        Value = value;
        Reason = reason;
    }

    /// <summary>The configuration key at fault (or the file path for syntax errors).</summary>
    public string Key { get; }

    /// <summary>The rejected value, or null when the key was missing.</summary>
    public string? Value { get; }

    /// <summary>Why the value was rejected, without the key/value prefix.</summary>
    public string Reason { get; }
}
