using System.Globalization;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// <c>kafka-topics</c>' command line, validated as Kafka 3.9's TopicCommand validates it. Pure:
/// <see cref="Parse"/> throws <see cref="CliUsageException"/> with Kafka's wording for bad combinations.
/// </summary>
public sealed record TopicCommandOptions
{
    public const string Summary = "Create, delete, describe, or change a topic.";

    public static IReadOnlyList<CliOption> Options { get; } =
    [
        CliOption.Flag("--alter", "Alter the number of partitions and replica assignment."),
        CliOption.Flag("--at-min-isr-partitions", "if set when describing topics, only show partitions whose isr count is equal to the configured minimum."),
        CliOption.WithValue("--bootstrap-server", "String: server to connect to", "REQUIRED: The Kafka server to connect to."),
        CliOption.WithValue("--command-config", "String: command config property file", "Property file containing configs to be passed to Admin Client."),
        CliOption.WithValue("--config", "String: name=value", "A topic configuration override for the topic being created (repeatable)."),
        CliOption.Flag("--create", "Create a new topic."),
        CliOption.Flag("--delete", "Delete a topic"),
        CliOption.Flag("--describe", "List details for the given topics."),
        CliOption.Flag("--exclude-internal", "exclude internal topics when running list or describe command."),
        CliOption.Flag("--help", "Print usage information."),
        CliOption.Flag("--if-exists", "if set when altering or deleting or describing topics, the action will only execute if the topic exists."),
        CliOption.Flag("--if-not-exists", "if set when creating topics, the action will only execute if the topic does not already exist."),
        CliOption.Flag("--list", "List all available topics."),
        CliOption.WithValue("--partitions", "Integer: # of partitions", "The number of partitions for the topic being created or altered."),
        CliOption.WithValue("--replica-assignment", "String: broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...",
            "A list of manual partition-to-broker assignments for the topic being created or altered."),
        CliOption.WithValue("--replication-factor", "Integer: replication factor", "The replication factor for each partition in the topic being created."),
        CliOption.WithValue("--topic", "String: topic", "The topic to create, alter, describe or delete. Except for --create, a regular expression\n(a comma-separated list becomes alternatives); quote it on the shell."),
        CliOption.Flag("--topics-with-overrides", "if set when describing topics, only show topics that have overridden configs"),
        CliOption.Flag("--unavailable-partitions", "if set when describing topics, only show partitions whose leader is not available"),
        CliOption.Flag("--under-min-isr-partitions", "if set when describing topics, only show partitions whose isr count is less than the configured minimum."),
        CliOption.Flag("--under-replicated-partitions", "if set when describing topics, only show under replicated partitions"),
        CliOption.Flag("--version", "Display Kafka version."),
    ];

    private static readonly string[] ActionOptions = ["--list", "--describe", "--create", "--alter", "--delete"];

    /// <summary>Options and the actions they may be used with (Kafka's checkInvalidArgs).</summary>
    private static readonly (string Option, string[] Actions)[] ValidWith =
    [
        ("--config", ["--create"]),
        ("--partitions", ["--create", "--alter"]),
        ("--replication-factor", ["--create"]),
        ("--replica-assignment", ["--create", "--alter"]),
        ("--if-exists", ["--alter", "--delete", "--describe"]),
        ("--if-not-exists", ["--create"]),
        ("--exclude-internal", ["--list", "--describe"]),
        ("--under-replicated-partitions", ["--describe"]),
        ("--unavailable-partitions", ["--describe"]),
        ("--under-min-isr-partitions", ["--describe"]),
        ("--at-min-isr-partitions", ["--describe"]),
        ("--topics-with-overrides", ["--describe"]),
    ];

    public required TopicAction Action { get; init; }

    public required string BootstrapServer { get; init; }

    public string? CommandConfig { get; init; }

    /// <summary>The topic name (create) or regular expression (other actions); null means every topic.</summary>
    public string? Topic { get; init; }

    public int? Partitions { get; init; }

    public short? ReplicationFactor { get; init; }

    /// <summary>Partition index to broker ids, from <c>--replica-assignment</c>; empty when not given.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>> ReplicaAssignment { get; init; } = new Dictionary<int, IReadOnlyList<int>>();

    public IReadOnlyDictionary<string, string?> Configs { get; init; } = new Dictionary<string, string?>();

    public bool IfExists { get; init; }

    public bool IfNotExists { get; init; }

    public bool ExcludeInternal { get; init; }

    public TopicPartitionReport Report { get; init; }

    public bool TopicsWithOverrides { get; init; }

    public static TopicCommandOptions Parse(CliArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var actions = ActionOptions.Where(args.Has).ToList();
        if (actions.Count != 1)
        {
            throw new CliUsageException("Command must include exactly one action: --list, --describe, --create, --alter or --delete");
        }

        var action = actions[0];
        var bootstrap = args.Value("--bootstrap-server");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            throw new CliUsageException("Missing required argument \"[bootstrap-server]\"");
        }

        foreach (var (option, valid) in ValidWith)
        {
            if (args.Has(option) && !valid.Contains(action))
            {
                throw new CliUsageException($"Option \"[{option[2..]}]\" can't be used with option \"[{action[2..]}]\"");
            }
        }

        if (action is "--create" or "--alter" or "--delete" && !args.Has("--topic"))
        {
            throw new CliUsageException("Missing required argument \"[topic]\"");
        }

        if (args.Has("--replica-assignment"))
        {
            foreach (var other in new[] { "--partitions", "--replication-factor" })
            {
                if (action == "--create" && args.Has(other))
                {
                    throw new CliUsageException($"Option \"[replica-assignment]\" can't be used with option \"[{other[2..]}]\"");
                }
            }
        }

        var reports = new (string Option, TopicPartitionReport Report)[]
        {
            ("--under-replicated-partitions", TopicPartitionReport.UnderReplicated),
            ("--unavailable-partitions", TopicPartitionReport.Unavailable),
            ("--under-min-isr-partitions", TopicPartitionReport.UnderMinIsr),
            ("--at-min-isr-partitions", TopicPartitionReport.AtMinIsr),
        }.Where(r => args.Has(r.Option)).ToList();
        var exclusive = reports.Select(r => r.Option).Concat(args.Has("--topics-with-overrides") ? ["--topics-with-overrides"] : []).ToList();
        if (exclusive.Count > 1)
        {
            throw new CliUsageException($"Option \"[{exclusive[0][2..]}]\" can't be used with option \"[{exclusive[1][2..]}]\"");
        }

        var topicAction = action switch
        {
            "--create" => TopicAction.Create,
            "--delete" => TopicAction.Delete,
            "--list" => TopicAction.List,
            "--describe" => TopicAction.Describe,
            _ => TopicAction.Alter,
        };
        var partitions = args.IntValue("--partitions");
        if (partitions is < 1)
        {
            throw new CliUsageException("The partitions must be greater than 0");
        }

        var replicationFactor = args.IntValue("--replication-factor");
        if (replicationFactor is < 1 or > short.MaxValue)
        {
            throw new CliUsageException("The replication factor must be between 1 and 32767");
        }

        var topic = args.Value("--topic");
        if (topicAction == TopicAction.Create)
        {
            TopicNames.Validate(topic!);
        }

        if (topicAction == TopicAction.Alter && partitions is null && !args.Has("--replica-assignment"))
        {
            throw new CliUsageException("--alter needs --partitions (topic configs are changed with kafka-configs.sh)");
        }

        return new TopicCommandOptions
        {
            Action = topicAction,
            BootstrapServer = bootstrap,
            CommandConfig = args.Value("--command-config"),
            Topic = topic,
            Partitions = partitions,
            ReplicationFactor = (short?)replicationFactor,
            ReplicaAssignment = args.Value("--replica-assignment") is { } assignment ? ParseReplicaAssignment(assignment) : new Dictionary<int, IReadOnlyList<int>>(),
            Configs = ParseConfigs(args.Values("--config")),
            IfExists = args.Has("--if-exists"),
            IfNotExists = args.Has("--if-not-exists"),
            ExcludeInternal = args.Has("--exclude-internal"),
            Report = reports.Count == 1 ? reports[0].Report : TopicPartitionReport.All,
            TopicsWithOverrides = args.Has("--topics-with-overrides"),
        };
    }

    /// <summary>
    /// <c>1:2,2:3</c>: partitions separated by commas, each partition's broker ids by colons (spaces
    /// allowed). A broker may appear once per partition, and every partition needs the same number of replicas.
    /// </summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<int>> ParseReplicaAssignment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<int, IReadOnlyList<int>>();
        var partitions = text.Split(',');
        for (var p = 0; p < partitions.Length; p++)
        {
            var ids = new List<int>();
            foreach (var part in partitions[p].Split(':'))
            {
                var trimmed = part.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    throw new CliUsageException($"Invalid broker id '{trimmed}' in --replica-assignment");
                }

                ids.Add(id);
            }

            if (ids.Count == 0)
            {
                throw new CliUsageException($"Partition {p} has no replicas in --replica-assignment");
            }

            var duplicates = ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (duplicates.Count > 0)
            {
                throw new CliUsageException($"Partition replica lists may not contain duplicate entries: {string.Join(",", duplicates)}");
            }

            if (p > 0 && ids.Count != result[0].Count)
            {
                throw new CliUsageException($"Partition {p} has different replication factor: {string.Join(",", ids)}");
            }

            result[p] = ids;
        }

        return result;
    }

    /// <summary><c>--config key=value</c>, split at the first '='; a later repeat of a key wins.</summary>
    public static IReadOnlyDictionary<string, string?> ParseConfigs(IReadOnlyList<string> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            var eq = config.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || config[..eq].Trim().Length == 0)
            {
                throw new CliUsageException("Invalid topic config: all configs to be added must be in the format \"key=val\".");
            }

            result[config[..eq].Trim()] = config[(eq + 1)..].Trim();
        }

        return result;
    }
}
