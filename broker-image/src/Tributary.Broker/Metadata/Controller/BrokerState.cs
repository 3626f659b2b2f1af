namespace Tributary.Broker.Metadata.Controller;

/// <summary>A broker's lifecycle state as the controller sees it (Kafka's BrokerControlState).</summary>
public enum BrokerState
{
    /// <summary>Registered but may not lead or join ISRs (not caught up, session expired, or asked to be).</summary>
    Fenced,

    /// <summary>Serving: may lead partitions and join ISRs.</summary>
    Unfenced,

    /// <summary>Asked to shut down; its leaderships are moving away.</summary>
    ControlledShutdown,

    /// <summary>Leads nothing any more: told to shut down, and fenced.</summary>
    ShutdownNow,
}
