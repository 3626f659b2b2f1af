using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>DeleteGroups outcome for one group.</summary>
public sealed record DeleteGroupResult(string GroupId, ErrorCode Error);
