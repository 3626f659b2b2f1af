namespace Tributary.Broker.Metadata.Controller;

/// <summary>How <see cref="PartitionChangeBuilder"/> picks a leader (Kafka's PartitionChangeBuilder.Election).</summary>
public enum PartitionElection
{
    /// <summary>Keep the current leader while it is valid, else the first valid replica in replica order.</summary>
    Online,

    /// <summary>The first replica if it is valid, else as <see cref="Online"/>.</summary>
    Preferred,

    /// <summary>As <see cref="Online"/>, then any acceptable replica outside the ISR (data may be lost).</summary>
    Unclean,
}
