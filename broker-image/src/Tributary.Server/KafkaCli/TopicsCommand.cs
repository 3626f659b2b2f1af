using Tributary.Client;
using Tributary.Client.Admin;
using Tributary.Client.Cluster;
using Tributary.Protocol;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// <c>tributary kafka-topics</c>: Kafka's kafka-topics.sh (3.9 syntax) over our admin client:
/// create, delete, list, describe and alter (partitions) topics.
/// </summary>
public sealed class TopicsCommand : ICommand
{
    public string Name => "kafka-topics";

    public string Summary => "Kafka's kafka-topics.sh: --bootstrap-server HOST:PORT --create|--delete|--list|--describe|--alter [--topic T] ... (--help)";

    private static string Help => KafkaTool.Help(TopicCommandOptions.Summary, TopicCommandOptions.Options);

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        return KafkaTool.RunAsync("Error while executing topic command : ", Help, io, async () =>
        {
            var toolArgs = args.Skip(1).ToList();
            if (toolArgs.Count == 0)
            {
                throw new CliUsageException(TopicCommandOptions.Summary);
            }

            var parsed = CliArguments.Parse(toolArgs, TopicCommandOptions.Options);
            if (await KafkaTool.PrintedHelpOrVersionAsync(parsed, Help, io).ConfigureAwait(false))
            {
                return ExitCodes.Ok;
            }

            var options = TopicCommandOptions.Parse(parsed);
            await using var admin = AdminConnector.Open(options.BootstrapServer, options.CommandConfig, io.Error);
            await ExecuteAsync(options, admin, io.Out, stop).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }

    /// <summary>Carries out parsed options against a cluster; failures raise <see cref="ToolFailure"/> or <see cref="Tributary.Client.KafkaException"/>.</summary>
    public static async Task ExecuteAsync(TopicCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(output);
        switch (options.Action)
        {
            case TopicAction.Create:
                await CreateAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
                break;
            case TopicAction.List:
                foreach (var name in await MatchingTopicsAsync(options, admin, cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteLineAsync(name).ConfigureAwait(false);
                }

                break;
            case TopicAction.Describe:
                await DescribeAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
                break;
            case TopicAction.Delete:
                await DeleteAsync(options, admin, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await AlterAsync(options, admin, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static async Task CreateAsync(TopicCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        var name = options.Topic!;
        if (TopicNames.HasCollisionCharacters(name))
        {
            await output.WriteLineAsync(TopicNames.CollisionWarning).ConfigureAwait(false);
        }

        var topic = new NewTopic(name, options.Partitions ?? -1, options.ReplicationFactor ?? -1)
        {
            Configs = options.Configs,
            ReplicaAssignment = options.ReplicaAssignment,
        };
        var result = (await admin.CreateTopicsAsync([topic], cancellationToken: cancellationToken).ConfigureAwait(false))[name];
        if (result.Error == ErrorCode.TopicAlreadyExists && options.IfNotExists)
        {
            return;
        }

        if (!result.IsSuccess)
        {
            throw new ToolFailure(KafkaErrorText.Of(result.Error, result.ErrorMessage));
        }

        await output.WriteLineAsync($"Created topic {name}.").ConfigureAwait(false);
    }

    /// <summary>Topics matching --topic (all when absent); fails when a --topic matched nothing, unless --if-exists.</summary>
    private static async Task<IReadOnlyList<string>> MatchingTopicsAsync(TopicCommandOptions options, IKafkaAdminClient admin, CancellationToken cancellationToken)
    {
        var listing = await admin.ListTopicsAsync(includeInternal: !options.ExcludeInternal, cancellationToken).ConfigureAwait(false);
        var names = new TopicFilter(options.Topic, options.ExcludeInternal).Select(listing.Select(t => (t.Name, t.IsInternal)));
        if (names.Count == 0 && options.Topic is not null && !options.IfExists && options.Action != TopicAction.List)
        {
            throw new ToolFailure($"Topic '{options.Topic}' does not exist as expected");
        }

        return names;
    }

    private static async Task DescribeAsync(TopicCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        var names = await MatchingTopicsAsync(options, admin, cancellationToken).ConfigureAwait(false);
        if (names.Count == 0)
        {
            return;
        }

        var metadata = await admin.DescribeTopicsAsync(names, cancellationToken).ConfigureAwait(false);
        var configs = (await admin.DescribeConfigsAsync(names.Select(ConfigResource.Topic), cancellationToken).ConfigureAwait(false))
            .ToDictionary(d => d.Resource.Name, d => d, StringComparer.Ordinal);
        var reassignments = await ReassignmentsAsync(admin, cancellationToken).ConfigureAwait(false);
        IReadOnlySet<int>? live = null;
        if (options.Report == TopicPartitionReport.Unavailable)
        {
            live = (await admin.DescribeClusterAsync(cancellationToken).ConfigureAwait(false)).Brokers.Select(b => b.Id).ToHashSet();
        }

        var descriptions = new List<TopicDescription>();
        foreach (var name in names)
        {
            // A topic deleted between listing and describing is skipped, as Kafka does.
            if (!metadata.TryGetValue(name, out var topic) || topic.Error == ErrorCode.UnknownTopicOrPartition)
            {
                continue;
            }

            if (topic.Error != ErrorCode.None)
            {
                throw new ToolFailure(KafkaErrorText.Of(topic.Error, null));
            }

            var topicConfigs = configs.TryGetValue(name, out var described) && described.Result.IsSuccess ? described.Entries : [];
            descriptions.Add(new TopicDescription(topic, topicConfigs, reassignments
                .Where(r => r.Key.Topic == name).ToDictionary(r => r.Key.Partition, r => r.Value)));
        }

        await output.WriteAsync(TopicDescribeFormatter.Format(descriptions, options.Report, options.TopicsWithOverrides, live)).ConfigureAwait(false);
    }

    /// <summary>Ongoing reassignments; a broker without the API has none to show.</summary>
    private static async Task<IReadOnlyDictionary<TopicPartition, PartitionReassignment>> ReassignmentsAsync(IKafkaAdminClient admin, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.ListPartitionReassignmentsAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            return new Dictionary<TopicPartition, PartitionReassignment>();
        }
    }

    private static async Task DeleteAsync(TopicCommandOptions options, IKafkaAdminClient admin, CancellationToken cancellationToken)
    {
        var names = await MatchingTopicsAsync(options, admin, cancellationToken).ConfigureAwait(false);
        if (names.Count == 0)
        {
            return;
        }

        var results = await admin.DeleteTopicsAsync(names, cancellationToken).ConfigureAwait(false);
        ThrowFirstFailure(results, options.IfExists);
    }

    private static async Task AlterAsync(TopicCommandOptions options, IKafkaAdminClient admin, CancellationToken cancellationToken)
    {
        var names = await MatchingTopicsAsync(options, admin, cancellationToken).ConfigureAwait(false);
        if (names.Count == 0)
        {
            return;
        }

        var metadata = await admin.DescribeTopicsAsync(names, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var assignments = new Dictionary<string, IReadOnlyList<IReadOnlyList<int>>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var existing = metadata[name].Partitions.Count;
            var total = options.Partitions ?? options.ReplicaAssignment.Count;
            if (options.ReplicaAssignment.Count > 0)
            {
                // --replica-assignment lists every partition from 0; the new ones are those past the current count.
                if (options.ReplicaAssignment.Count < total)
                {
                    throw new ToolFailure($"The replica assignment lists {options.ReplicaAssignment.Count} partitions but --partitions asks for {total}");
                }

                assignments[name] = options.ReplicaAssignment.Where(a => a.Key >= existing && a.Key < total).OrderBy(a => a.Key).Select(a => a.Value).ToList();
            }

            counts[name] = total;
        }

        var results = await admin.CreatePartitionsAsync(counts, assignments, cancellationToken: cancellationToken).ConfigureAwait(false);
        ThrowFirstFailure(results, options.IfExists);
    }

    private static void ThrowFirstFailure(IReadOnlyDictionary<string, AdminResult> results, bool ifExists)
    {
        foreach (var (_, result) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!result.IsSuccess && !(ifExists && result.Error == ErrorCode.UnknownTopicOrPartition))
            {
                throw new ToolFailure(KafkaErrorText.Of(result));
            }
        }
    }
}
