using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>ListGroups response (COORDINATOR_LOAD_IN_PROGRESS while a partition is still loading).</summary>
public sealed record ListGroupsResult(ErrorCode Error, IReadOnlyList<ListedGroup> Groups);
