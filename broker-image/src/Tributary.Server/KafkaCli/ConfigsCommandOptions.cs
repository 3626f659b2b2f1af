using System.Globalization;
using Tributary.Client.Admin;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// <c>kafka-configs</c>' command line for topics, brokers (one, or the cluster-wide defaults) and
/// broker loggers, validated as Kafka 3.9's ConfigCommand does. Pure; errors are <see cref="CliUsageException"/>.
/// </summary>
public sealed record ConfigsCommandOptions
{
    public const string Summary = "This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group";

    public static IReadOnlyList<CliOption> Options { get; } =
    [
        CliOption.WithValue("--add-config", "String",
            "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'."),
        CliOption.WithValue("--add-config-file", "String", "Path to a properties file with configs to add."),
        CliOption.Flag("--all", "List all configs for the given entity, including static configs and defaults."),
        CliOption.Flag("--alter", "Alter the configuration for the entity."),
        CliOption.WithValue("--bootstrap-server", "String: server to connect to", "The Kafka server to connect to."),
        CliOption.WithValue("--broker", "String", "The broker's ID."),
        CliOption.Flag("--broker-defaults", "The config defaults for all brokers."),
        CliOption.WithValue("--broker-logger", "String", "The broker's ID for its logger config."),
        CliOption.WithValue("--command-config", "String: command config property file", "Property file containing configs to be passed to Admin Client."),
        CliOption.WithValue("--delete-config", "String", "config keys to remove 'k1,k2'"),
        CliOption.Flag("--describe", "List configs for the given entity."),
        CliOption.Flag("--entity-default", "Default entity name for clients/users/brokers/ips (applies to corresponding entity type)"),
        CliOption.WithValue("--entity-name", "String", "Name of entity (topic name/broker id)"),
        CliOption.WithValue("--entity-type", "String", "Type of entity (topics/brokers/broker-loggers)"),
        CliOption.Flag("--force", "Suppress console prompts"),
        CliOption.Flag("--help", "Print usage information."),
        CliOption.WithValue("--topic", "String", "The topic's name."),
        CliOption.Flag("--version", "Display Kafka version."),
    ];

    private static readonly string[] Unsupported = ["users", "clients", "ips", "client-metrics", "groups"];

    public required bool Alter { get; init; }

    public required string BootstrapServer { get; init; }

    public string? CommandConfig { get; init; }

    public required ConfigEntityType EntityType { get; init; }

    /// <summary>The topic, broker id, or "" for the broker defaults; null means every entity of the type.</summary>
    public string? EntityName { get; init; }

    public bool All { get; init; }

    public IReadOnlyDictionary<string, string> AddConfigs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> DeleteConfigs { get; init; } = [];

    public ConfigResourceType ResourceType => EntityType switch
    {
        ConfigEntityType.Topics => ConfigResourceType.Topic,
        ConfigEntityType.Brokers => ConfigResourceType.Broker,
        _ => ConfigResourceType.BrokerLogger,
    };

    /// <summary>Parses the command line; <paramref name="readFile"/> reads <c>--add-config-file</c> (injected to stay pure).</summary>
    public static ConfigsCommandOptions Parse(CliArguments args, Func<string, IReadOnlyDictionary<string, string>> readFile)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(readFile);
        if (args.Has("--describe") == args.Has("--alter"))
        {
            throw new CliUsageException("Command must include exactly one action: --describe, --alter");
        }

        var alter = args.Has("--alter");
        var bootstrap = args.Value("--bootstrap-server");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            throw new CliUsageException("Either --bootstrap-server or --bootstrap-controller must be specified (only --bootstrap-server is supported here)");
        }

        var (type, name) = Entity(args);
        if (args.Has("--all") && alter)
        {
            throw new CliUsageException("Option \"[all]\" can't be used with option \"[alter]\"");
        }

        foreach (var option in new[] { "--add-config", "--add-config-file", "--delete-config" })
        {
            if (args.Has(option) && !alter)
            {
                throw new CliUsageException($"Option \"[{option[2..]}]\" can't be used with option \"[describe]\"");
            }
        }

        var add = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in args.Values("--add-config"))
        {
            foreach (var (key, value) in ParseAddConfig(text))
            {
                add[key] = value;
            }
        }

        if (args.Value("--add-config-file") is { } file)
        {
            foreach (var (key, value) in readFile(file))
            {
                add[key] = value;
            }
        }

        var delete = args.Values("--delete-config").SelectMany(d => d.Split(','))
            .Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (alter)
        {
            if (add.Count == 0 && delete.Count == 0)
            {
                throw new CliUsageException("At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter");
            }

            if (name is null)
            {
                throw new CliUsageException($"an entity name must be specified with --alter of {EntityTypeName(type)}");
            }

            var both = add.Keys.Intersect(delete, StringComparer.Ordinal).ToList();
            if (both.Count > 0)
            {
                throw new CliUsageException($"Config(s) {string.Join(",", both)} are specified in both --add-config and --delete-config");
            }
        }

        return new ConfigsCommandOptions
        {
            Alter = alter,
            BootstrapServer = bootstrap,
            CommandConfig = args.Value("--command-config"),
            EntityType = type,
            EntityName = name,
            All = args.Has("--all"),
            AddConfigs = add,
            DeleteConfigs = delete,
        };
    }

    public static string EntityTypeName(ConfigEntityType type) => type switch
    {
        ConfigEntityType.Topics => "topics",
        ConfigEntityType.Brokers => "brokers",
        _ => "broker-loggers",
    };

    /// <summary>The entity from <c>--entity-type/--entity-name/--entity-default</c> or the shorthands <c>--topic</c>, <c>--broker</c>, <c>--broker-defaults</c>, <c>--broker-logger</c>.</summary>
    private static (ConfigEntityType Type, string? Name) Entity(CliArguments args)
    {
        var shorthands = new (string Option, ConfigEntityType Type)[]
        {
            ("--topic", ConfigEntityType.Topics), ("--broker", ConfigEntityType.Brokers),
            ("--broker-defaults", ConfigEntityType.Brokers), ("--broker-logger", ConfigEntityType.BrokerLoggers),
        }.Where(s => args.Has(s.Option)).ToList();
        var types = args.Values("--entity-type").Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count + shorthands.Count == 0)
        {
            throw new CliUsageException("At least one entity type must be specified");
        }

        if (types.Count + shorthands.Count > 1)
        {
            throw new CliUsageException("Only one entity type may be given (users and clients together are not supported by this tool)");
        }

        if (shorthands.Count == 1)
        {
            if (args.Has("--entity-name") || args.Has("--entity-default"))
            {
                throw new CliUsageException($"{shorthands[0].Option} can't be used with --entity-name or --entity-default");
            }

            var (option, shortType) = shorthands[0];
            var shortName = option == "--broker-defaults" ? "" : args.Value(option)!;
            return (shortType, Validate(shortType, shortName));
        }

        var typeText = types[0];
        if (Unsupported.Contains(typeText))
        {
            throw new CliUsageException($"--entity-type {typeText} is not supported by this tool yet (topics, brokers and broker-loggers are)");
        }

        ConfigEntityType type = typeText switch
        {
            "topics" => ConfigEntityType.Topics,
            "brokers" => ConfigEntityType.Brokers,
            "broker-loggers" => ConfigEntityType.BrokerLoggers,
            _ => throw new CliUsageException($"Invalid entity type {typeText}, the entity type must be one of topics, brokers, broker-loggers"),
        };
        if (args.Has("--entity-name") && args.Has("--entity-default"))
        {
            throw new CliUsageException("--entity-name and --entity-default can't be used together");
        }

        if (args.Has("--entity-default"))
        {
            return type == ConfigEntityType.Brokers
                ? (type, "")
                : throw new CliUsageException($"--entity-default must not be specified with --entity-type {typeText}");
        }

        return (type, args.Value("--entity-name") is { } name ? Validate(type, name) : null);
    }

    private static string Validate(ConfigEntityType type, string name)
    {
        if (type == ConfigEntityType.Topics)
        {
            TopicNames.Validate(name);
        }
        else if (name.Length > 0 && !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new CliUsageException($"The entity name for {EntityTypeName(type)} must be a valid integer broker id, but it is: {name}");
        }

        return name;
    }

    /// <summary>
    /// <c>k1=v1,k2=[a,b],k3=v3</c>: pairs separated by commas outside square brackets, each split at
    /// its first '='; brackets around a value are removed (they only protect its commas).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseAddConfig(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pairs = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    pairs.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        pairs.Add(text[start..]);
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in pairs.Where(p => p.Trim().Length > 0))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || pair[..eq].Trim().Length == 0)
            {
                throw new CliUsageException("Invalid entity config: all configs to be added must be in the format \"key=val\".");
            }

            var value = pair[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '[' && value[^1] == ']')
            {
                value = value[1..^1];
            }

            result.Add(new KeyValuePair<string, string>(pair[..eq].Trim(), value));
        }

        return result;
    }
}
