using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>
/// DescribeGroups entry. An unknown group is reported as <see cref="GroupState.Dead"/> with no
/// error, like Kafka. <see cref="Protocol"/> is "" unless the group is Stable.
/// </summary>
public sealed record DescribedGroup(
    string GroupId,
    ErrorCode Error,
    GroupState State,
    string ProtocolType,
    string Protocol,
    IReadOnlyList<DescribedMember> Members);
