namespace Tributary.Broker.Groups;

/// <summary>
/// States of a classic consumer group. The names are exactly the strings Kafka reports in
/// ListGroups/DescribeGroups, so <c>state.ToString()</c> is the wire value.
/// </summary>
public enum GroupState
{
    /// <summary>No members; offsets may still be stored (also simple, non-managed groups).</summary>
    Empty,

    /// <summary>Collecting JoinGroup requests for the next generation.</summary>
    PreparingRebalance,

    /// <summary>Join finished; waiting for the leader's SyncGroup with the assignment.</summary>
    CompletingRebalance,

    /// <summary>Assignment distributed; members heartbeat.</summary>
    Stable,

    /// <summary>Removed (deleted, or emptied and expired); never observable in the group table.</summary>
    Dead,
}
