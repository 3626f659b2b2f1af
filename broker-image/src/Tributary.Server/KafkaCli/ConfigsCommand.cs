using System.Globalization;
using Tributary.Client.Admin;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// <c>tributary kafka-configs</c>: Kafka's kafka-configs.sh (3.9 syntax) for topics, brokers,
/// broker defaults and broker loggers: describe (dynamic or --all) and alter (add/delete, incremental).
/// </summary>
public sealed class ConfigsCommand : ICommand
{
    public string Name => "kafka-configs";

    public string Summary => "Kafka's kafka-configs.sh: --bootstrap-server HOST:PORT --entity-type topics|brokers|broker-loggers --describe|--alter ... (--help)";

    private static string Help => KafkaTool.Help(ConfigsCommandOptions.Summary, ConfigsCommandOptions.Options);

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        var toolArgs = args.Skip(1).ToList();
        var prefix = $"Error while executing config command with args '{string.Join(' ', toolArgs)}'\n";
        return KafkaTool.RunAsync(prefix, Help, io, async () =>
        {
            if (toolArgs.Count == 0)
            {
                throw new CliUsageException(ConfigsCommandOptions.Summary);
            }

            var parsed = CliArguments.Parse(toolArgs, ConfigsCommandOptions.Options);
            if (await KafkaTool.PrintedHelpOrVersionAsync(parsed, Help, io).ConfigureAwait(false))
            {
                return ExitCodes.Ok;
            }

            var options = ConfigsCommandOptions.Parse(parsed, PropertiesFile.Load);
            await using var admin = AdminConnector.Open(options.BootstrapServer, options.CommandConfig, io.Error);
            await ExecuteAsync(options, admin, io.Out, stop).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }

    public static async Task ExecuteAsync(ConfigsCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Alter)
        {
            await AlterAsync(options, admin, output, cancellationToken).ConfigureAwait(false);
            return;
        }

        var names = options.EntityName is { } one ? [one] : await AllEntitiesAsync(options, admin, cancellationToken).ConfigureAwait(false);
        if (names.Count == 0)
        {
            return;
        }

        var descriptions = await admin.DescribeConfigsAsync(names.Select(n => new ConfigResource(options.ResourceType, n)), includeSynonyms: true, cancellationToken)
            .ConfigureAwait(false);
        foreach (var description in descriptions)
        {
            if (!description.Result.IsSuccess)
            {
                throw new ToolFailure(KafkaErrorText.Of(description.Result));
            }

            await output.WriteAsync(ConfigDescribeFormatter.Format(options.EntityType, description.Resource.Name, description.Entries, options.All)).ConfigureAwait(false);
        }
    }

    /// <summary>Every topic (sorted), or every broker id and then the broker defaults, as Kafka describes them without a name.</summary>
    private static async Task<IReadOnlyList<string>> AllEntitiesAsync(ConfigsCommandOptions options, IKafkaAdminClient admin, CancellationToken cancellationToken)
    {
        if (options.EntityType == ConfigEntityType.Topics)
        {
            return (await admin.ListTopicsAsync(includeInternal: true, cancellationToken).ConfigureAwait(false)).Select(t => t.Name).ToList();
        }

        var brokers = (await admin.DescribeClusterAsync(cancellationToken).ConfigureAwait(false)).Brokers
            .Select(b => b.Id).Order().Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        if (options.EntityType == ConfigEntityType.Brokers)
        {
            brokers.Add("");
        }

        return brokers;
    }

    private static async Task AlterAsync(ConfigsCommandOptions options, IKafkaAdminClient admin, TextWriter output, CancellationToken cancellationToken)
    {
        var resource = new ConfigResource(options.ResourceType, options.EntityName!);
        if (options.DeleteConfigs.Count > 0 && options.EntityType != ConfigEntityType.BrokerLoggers)
        {
            // Kafka refuses to delete what is not set on the entity itself.
            var current = (await admin.DescribeConfigsAsync([resource], cancellationToken).ConfigureAwait(false))[0];
            if (!current.Result.IsSuccess)
            {
                throw new ToolFailure(KafkaErrorText.Of(current.Result));
            }

            var own = current.Entries.Where(e => e.Source is ConfigSource.DynamicTopicConfig or ConfigSource.DynamicBrokerConfig or ConfigSource.DynamicDefaultBrokerConfig)
                .Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            var invalid = options.DeleteConfigs.Where(d => !own.Contains(d)).ToList();
            if (invalid.Count > 0)
            {
                throw new ToolFailure($"Invalid config(s): {string.Join(",", invalid)}");
            }
        }

        var changes = options.AddConfigs.Select(kv => ConfigAlteration.Set(kv.Key, kv.Value))
            .Concat(options.DeleteConfigs.Select(ConfigAlteration.Delete)).ToList();
        var results = await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> { [resource] = changes },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (results.TryGetValue(resource, out var result) && !result.IsSuccess)
        {
            throw new ToolFailure(KafkaErrorText.Of(result));
        }

        await output.WriteLineAsync(options.EntityName!.Length == 0
            ? $"Completed updating default config for {ConfigsCommandOptions.EntityTypeName(options.EntityType)} in the cluster."
            : $"Completed updating config for {ConfigDescribeFormatter.Singular(options.EntityType)} {options.EntityName}.").ConfigureAwait(false);
    }
}
