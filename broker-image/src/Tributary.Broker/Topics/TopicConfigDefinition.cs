using System.Globalization;
using Tributary.Broker.Config;

namespace Tributary.Broker.Topics;

/// <summary>
/// One topic-level config: its type, validation, Kafka's default and the broker config it
/// defaults from (<c>retention.ms</c> defaults from <c>log.retention.ms</c>, ...).
/// </summary>
public sealed class TopicConfigDefinition
{
    public required string Name { get; init; }

    public required ConfigType Type { get; init; }

    /// <summary>Kafka's built-in default, used when neither a dynamic nor a static broker config sets it.</summary>
    public required string KafkaDefault { get; init; }

    /// <summary>The broker config that supplies the default (null: none, Kafka's default applies).</summary>
    public string? BrokerSynonym { get; init; }

    /// <summary>Further static broker keys that also set the default (<c>log.retention.hours</c>...).</summary>
    public IReadOnlyList<string> ExtraStaticSynonyms { get; init; } = [];

    /// <summary>
    /// The value the static broker config resolves to, for defaults the broker computes from
    /// several keys (retention from ms/minutes/hours); null: the raw synonym value or the default.
    /// </summary>
    public Func<BrokerConfig, string>? StaticValue { get; init; }

    public long Min { get; init; } = long.MinValue;

    public long Max { get; init; } = long.MaxValue;

    public double MinDouble { get; init; } = double.MinValue;

    public double MaxDouble { get; init; } = double.MaxValue;

    /// <summary>For strings: the only values allowed; for lists: the only elements allowed.</summary>
    public IReadOnlyList<string>? ValidValues { get; init; }

    /// <summary>Extra check after type and range; returns an error message or null.</summary>
    public Func<string, string?>? Custom { get; init; }

    public string Documentation { get; init; } = "";

    /// <summary>Validates <paramref name="value"/>; returns the reason it is invalid, or null when valid.</summary>
    public string? Validate(string? value) => Validate(value, Name);

    /// <summary>As <see cref="Validate(string?)"/>, naming the config <paramref name="displayName"/> in messages (its broker synonym).</summary>
    public string? Validate(string? value, string displayName)
    {
        if (value is null)
        {
            return $"Null value not supported for config {displayName}";
        }

        var error = Type switch
        {
            ConfigType.Int => ValidateInteger(value, displayName, int.MinValue, int.MaxValue),
            ConfigType.Long => ValidateInteger(value, displayName, long.MinValue, long.MaxValue),
            ConfigType.Double => ValidateDouble(value, displayName),
            ConfigType.Boolean => ConfigValues.TryParseBool(value, out _) ? null : $"Invalid value {value} for configuration {displayName}: Expected value to be either true or false",
            ConfigType.List => ValidateList(value, displayName),
            _ => ValidateString(value, displayName),
        };
        return error ?? Custom?.Invoke(value);
    }

    /// <summary>The value in the form stored and reported (trimmed; list elements trimmed).</summary>
    public string Normalize(string value) => Type switch
    {
        ConfigType.List => ConfigValues.JoinList(ConfigValues.SplitList(value)),
        ConfigType.Boolean => ConfigValues.TryParseBool(value, out var b) ? ConfigValues.Format(b) : value.Trim(),
        _ => value.Trim(),
    };

    private string? ValidateInteger(string value, string name, long typeMin, long typeMax)
    {
        if (!ConfigValues.TryParseLong(value, out var parsed) || parsed < typeMin || parsed > typeMax)
        {
            return $"Invalid value {value} for configuration {name}: Not a number of type {(Type == ConfigType.Int ? "INT" : "LONG")}";
        }

        if (parsed < Min)
        {
            return $"Invalid value {value} for configuration {name}: Value must be at least {Min.ToString(CultureInfo.InvariantCulture)}";
        }

        if (parsed > Max)
        {
            return $"Invalid value {value} for configuration {name}: Value must be no more than {Max.ToString(CultureInfo.InvariantCulture)}";
        }

        return null;
    }

    private string? ValidateDouble(string value, string name)
    {
        if (!ConfigValues.TryParseDouble(value, out var parsed))
        {
            return $"Invalid value {value} for configuration {name}: Not a number of type DOUBLE";
        }

        if (parsed < MinDouble || parsed > MaxDouble)
        {
            return $"Invalid value {value} for configuration {name}: Value must be between {ConfigValues.Format(MinDouble)} and {ConfigValues.Format(MaxDouble)}";
        }

        return null;
    }

    private string? ValidateString(string value, string name)
    {
        if (ValidValues is null || ValidValues.Contains(value.Trim(), StringComparer.Ordinal))
        {
            return null;
        }

        return $"Invalid value {value} for configuration {name}: String must be one of: {string.Join(", ", ValidValues)}";
    }

    private string? ValidateList(string value, string name)
    {
        if (ValidValues is null)
        {
            return null;
        }

        var items = ConfigValues.SplitList(value);
        if (items.Count == 0)
        {
            return $"Invalid value {value} for configuration {name}: the list must not be empty";
        }

        foreach (var item in items)
        {
            if (!ValidValues.Contains(item, StringComparer.Ordinal))
            {
                return $"Invalid value {item} for configuration {name}: String must be one of: {string.Join(", ", ValidValues)}";
            }
        }

        return null;
    }
}
