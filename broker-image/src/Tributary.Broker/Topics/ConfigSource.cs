namespace Tributary.Broker.Topics;

/// <summary>Where an effective config value came from, with the codes DescribeConfigs v1+ reports.</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,

    /// <summary>A topic-level override.</summary>
    TopicConfig = 1,

    /// <summary>A dynamic config set for this one broker.</summary>
    DynamicBrokerConfig = 2,

    /// <summary>A dynamic config set for every broker (resource name "").</summary>
    DynamicDefaultBrokerConfig = 3,

    /// <summary>Set in <c>server.properties</c> or the environment.</summary>
    StaticBrokerConfig = 4,

    /// <summary>Kafka's built-in default.</summary>
    DefaultConfig = 5,
}
