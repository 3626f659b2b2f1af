using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>A SyncGroup response: the member's assignment, or an error with an empty one.</summary>
public sealed record SyncGroupResult(ErrorCode Error, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupResult Failure(ErrorCode error) => new(error, null, null, []);
}
