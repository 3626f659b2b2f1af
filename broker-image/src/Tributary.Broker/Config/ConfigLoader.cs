using System.Collections;

namespace Tributary.Broker.Config;

/// <summary>The I/O edge of configuration: reads the properties file and the process environment.</summary>
public static class ConfigLoader
{
    /// <summary>Reads <paramref name="path"/> and builds the config; file errors become <see cref="ConfigException"/>.</summary>
    public static BrokerConfig Load(
        string path,
        IReadOnlyDictionary<string, string> overrides,
        IReadOnlyDictionary<string, string> environment)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException("--config", path, $"cannot read the file: {e.Message}");
        }

        return BrokerConfig.Parse(PropertiesParser.Parse(text), environment, overrides);
    }

    /// <summary>The process environment as a dictionary (the input <see cref="BrokerConfig.Parse"/> expects).</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v)
            {
                env[k] = v;
            }
        }

        return env;
    }
}
