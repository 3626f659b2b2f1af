namespace Tributary.Broker.Coordination;

/// <summary>Lifecycle of one <c>__consumer_offsets</c> partition on this broker.</summary>
public enum CoordinatorPartitionState
{
    /// <summary>Not led here (or no longer): requests for its groups get NOT_COORDINATOR.</summary>
    NotOwned,

    /// <summary>Replaying the partition's log: requests get COORDINATOR_LOAD_IN_PROGRESS.</summary>
    Loading,

    /// <summary>Loaded and serving its groups.</summary>
    Active,

    /// <summary>Stopped (leadership moved or an append failed); a replacement loads if still leader.</summary>
    Closed,
}
