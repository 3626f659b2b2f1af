using System.Collections.Immutable;
using System.Globalization;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// AlterConfigs (replace a resource's dynamic configs) and IncrementalAlterConfigs (SET, DELETE,
/// APPEND, SUBTRACT per key) as pure functions of the image. Topic resources hold topic overrides;
/// broker resources (name "" for every broker, or a node id) hold dynamic broker configs: the
/// broker-level defaults of topic configs, the replication throttle rates and, for a node id
/// only, the listener security configs. The result is one ConfigRecord per changed key.
/// </summary>
public static class ConfigChanges
{
    private static readonly ImmutableSortedDictionary<string, string> None = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public static ControllerPlan<List<ConfigChangeResult>> PlanAlter(MetadataImage image, AlterConfigsRequest request)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        var resources = request.Resources.Select(r => (r.ResourceType, r.ResourceName,
            Apply: (Func<Target, (Dictionary<string, string>?, ErrorCode, string?)>)(target => Replace(target, r.Configs))));
        return Plan(image, resources.ToList(), request.ValidateOnly);
    }

    public static ControllerPlan<List<ConfigChangeResult>> PlanIncremental(MetadataImage image, IncrementalAlterConfigsRequest request, TopicConfigResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resolver);
        var resources = request.Resources.Select(r => (r.ResourceType, r.ResourceName,
            Apply: (Func<Target, (Dictionary<string, string>?, ErrorCode, string?)>)(target => Incremental(image, resolver, target, r.Configs))));
        return Plan(image, resources.ToList(), request.ValidateOnly);
    }

    private static ControllerPlan<List<ConfigChangeResult>> Plan(MetadataImage image,
        List<(sbyte Type, string Name, Func<Target, (Dictionary<string, string>?, ErrorCode, string?)> Apply)> resources, bool validateOnly)
    {
        var records = new List<IMetadataRecord>();
        var results = new List<ConfigChangeResult>(resources.Count);
        var duplicates = resources.GroupBy(r => (r.Type, r.Name)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        foreach (var (type, name, apply) in resources)
        {
            if (duplicates.Contains((type, name)))
            {
                results.Add(new ConfigChangeResult(type, name, ErrorCode.InvalidRequest, "Duplicate resource in the request."));
                continue;
            }

            var (target, error, message) = Resolve(image, type, name);
            if (target is null)
            {
                results.Add(new ConfigChangeResult(type, name, error, message));
                continue;
            }

            var (updated, applyError, applyMessage) = apply(target);
            if (updated is null)
            {
                results.Add(new ConfigChangeResult(type, name, applyError, applyMessage));
                continue;
            }

            results.Add(new ConfigChangeResult(type, name, ErrorCode.None, null));
            if (!validateOnly)
            {
                records.AddRange(Diff(target, updated));
            }
        }

        return new ControllerPlan<List<ConfigChangeResult>>(records, results);
    }

    /// <summary>The resource a request names, with its current dynamic configs.</summary>
    private static (Target?, ErrorCode, string?) Resolve(MetadataImage image, sbyte type, string name)
    {
        switch ((ConfigResourceType)type)
        {
            case ConfigResourceType.Topic:
                if (TopicNames.Validate(name) is { } invalid)
                {
                    return (null, ErrorCode.InvalidTopicException, invalid);
                }

                var topic = image.Topic(name);
                return topic is null
                    ? (null, ErrorCode.UnknownTopicOrPartition, $"The topic '{name}' does not exist.")
                    : (new Target(ConfigResourceType.Topic, name, topic.Configs), ErrorCode.None, null);
            case ConfigResourceType.Broker when name.Length == 0:
                return (new Target(ConfigResourceType.Broker, name, image.BrokerConfigs), ErrorCode.None, null);
            case ConfigResourceType.Broker:
                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var brokerId))
                {
                    return (null, ErrorCode.InvalidRequest, $"Invalid broker name '{name}': expected a node id or the empty string.");
                }

                return (new Target(ConfigResourceType.Broker, name, image.PerBrokerConfigs.GetValueOrDefault(brokerId) ?? None), ErrorCode.None, null);
            default:
                return (null, ErrorCode.InvalidRequest, $"Unsupported resource type {type}.");
        }
    }

    private static (Dictionary<string, string>?, ErrorCode, string?) Replace(Target target, List<AlterConfigsRequest.AlterableConfig> configs)
    {
        // Legacy AlterConfigs takes the last value of a repeated key, as Kafka does (clients such as
        // librdkafka's test helpers send the described configs back with the change appended);
        // only IncrementalAlterConfigs refuses duplicates.
        var pairs = configs.GroupBy(c => c.Name, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, string?>(g.Key, g.Last().Value)).ToList();
        if (Validate(target, pairs) is { } error)
        {
            return (null, ErrorCode.InvalidConfig, error);
        }

        return (pairs.ToDictionary(p => p.Key, p => Normalize(target, p.Key, p.Value!), StringComparer.Ordinal), ErrorCode.None, null);
    }

    private static (Dictionary<string, string>?, ErrorCode, string?) Incremental(MetadataImage image, TopicConfigResolver resolver, Target target,
        List<IncrementalAlterConfigsRequest.AlterableConfig> configs)
    {
        if (configs.GroupBy(c => c.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            return (null, ErrorCode.InvalidRequest, "Error due to duplicate config keys.");
        }

        var updated = new Dictionary<string, string>(target.Current, StringComparer.Ordinal);
        foreach (var c in configs)
        {
            if (!Enum.IsDefined((ConfigOperation)c.ConfigOperation))
            {
                return (null, ErrorCode.InvalidRequest, $"Unknown config operation {c.ConfigOperation} for {c.Name}.");
            }

            var definition = Definition(target, c.Name);
            if (definition is null)
            {
                return (null, ErrorCode.InvalidConfig, UnknownKey(target, c.Name));
            }

            var op = (ConfigOperation)c.ConfigOperation;
            switch (op)
            {
                case ConfigOperation.Set:
                    if (c.Value is null)
                    {
                        return (null, ErrorCode.InvalidConfig, $"Null value not supported for: {c.Name}");
                    }

                    updated[c.Name] = c.Value;
                    break;
                case ConfigOperation.Delete:
                    updated.Remove(c.Name);
                    break;
                default:
                    if (definition.Type != ConfigType.List)
                    {
                        return (null, ErrorCode.InvalidConfig, $"Config value {(op == ConfigOperation.Append ? "append" : "subtract")} is not allowed for config key: {c.Name}");
                    }

                    var current = updated.TryGetValue(c.Name, out var value) ? value : DefaultOf(image, resolver, target, definition);
                    var items = ConfigValues.SplitList(current).ToList();
                    var operands = ConfigValues.SplitList(c.Value ?? "");
                    if (op == ConfigOperation.Append)
                    {
                        items.AddRange(operands.Where(o => !items.Contains(o, StringComparer.Ordinal)));
                    }
                    else
                    {
                        items.RemoveAll(i => operands.Contains(i, StringComparer.Ordinal));
                    }

                    updated[c.Name] = ConfigValues.JoinList(items);
                    break;
            }
        }

        var pairs = updated.Where(kv => !target.Current.TryGetValue(kv.Key, out var old) || old != kv.Value)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)).ToList();
        if (Validate(target, pairs) is { } error)
        {
            return (null, ErrorCode.InvalidConfig, error);
        }

        return (updated.ToDictionary(kv => kv.Key, kv => Normalize(target, kv.Key, kv.Value), StringComparer.Ordinal), ErrorCode.None, null);
    }

    private static string DefaultOf(MetadataImage image, TopicConfigResolver resolver, Target target, TopicConfigDefinition definition)
    {
        if (target.Type == ConfigResourceType.Topic)
        {
            return resolver.BrokerDefault(image, definition).Value ?? "";
        }

        // For a broker resource the layer below its own (unset) value: the next broker-level layer.
        return resolver.BrokerLayers(image, definition).FirstOrDefault(l => l.Source != ConfigSource.DynamicBrokerConfig)?.Value ?? "";
    }

    private static TopicConfigDefinition? Definition(Target target, string key) => target.Type == ConfigResourceType.Topic
        ? TopicConfigDefinitions.Find(key)
        : TopicConfigDefinitions.FindByBrokerSynonym(key) ?? ReplicationThrottleConfigs.Find(key) ?? ListenerSecurityConfigs.Find(key)?.Definition;

    private static string UnknownKey(Target target, string key) => target.Type == ConfigResourceType.Topic
        ? $"Unknown topic config name: {key}"
        : $"Cannot update these configs dynamically: {key}";

    private static string? Validate(Target target, IEnumerable<KeyValuePair<string, string?>> configs)
    {
        if (target.Type == ConfigResourceType.Topic)
        {
            return TopicConfigDefinitions.Validate(configs);
        }

        // The throttle rates are dynamic broker configs without a topic-level counterpart.
        var list = configs.ToList();
        foreach (var (key, value) in list)
        {
            if (ReplicationThrottleConfigs.Find(key)?.Validate(value) is { } invalid)
            {
                return invalid;
            }
        }

        return BrokerConfigCatalog.ValidateDynamic(list.Where(c => ReplicationThrottleConfigs.Find(c.Key) is null), perBroker: target.Name.Length != 0);
    }

    private static string Normalize(Target target, string key, string value) => target.Type == ConfigResourceType.Topic
        ? TopicConfigDefinitions.Find(key)?.Normalize(value) ?? value
        : ReplicationThrottleConfigs.Find(key)?.Normalize(value) ?? BrokerConfigCatalog.Normalize(key, value);

    /// <summary>ConfigRecords that turn the current configs into <paramref name="updated"/> (null value = remove).</summary>
    private static IEnumerable<ConfigRecord> Diff(Target target, Dictionary<string, string> updated)
    {
        foreach (var (key, _) in target.Current.Where(kv => !updated.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            yield return new ConfigRecord { ResourceType = (sbyte)target.Type, ResourceName = target.Name, Name = key, Value = null };
        }

        foreach (var (key, value) in updated.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!target.Current.TryGetValue(key, out var old) || old != value)
            {
                yield return new ConfigRecord { ResourceType = (sbyte)target.Type, ResourceName = target.Name, Name = key, Value = value };
            }
        }
    }

    /// <summary>A resource being changed and its dynamic configs before the change.</summary>
    private sealed record Target(ConfigResourceType Type, string Name, IReadOnlyDictionary<string, string> Current);
}
