namespace Tributary.Broker.Cluster;

/// <summary>Where a broker is in its life with the controller (Kafka's BrokerState, the part a broker tracks itself).</summary>
public enum BrokerLifecycleState
{
    /// <summary>Not registered yet, or the controller lost the registration: (re-)registering.</summary>
    Starting,

    /// <summary>Registered and heartbeating, but fenced: catching up with the metadata log.</summary>
    Recovery,

    /// <summary>Unfenced: serving partitions.</summary>
    Running,

    /// <summary>Heartbeating with WantShutDown until the controller has moved leadership away.</summary>
    PendingControlledShutdown,

    /// <summary>The controller answered ShouldShutDown: nothing is led here any more.</summary>
    ShuttingDown,
}
