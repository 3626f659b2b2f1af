using Tributary.Protocol;

namespace Tributary.Broker.Partitions;

/// <summary>Outcome of a follower append: the error (None on success) and the bytes written.</summary>
public readonly record struct FollowerAppendResult(ErrorCode Error, int Bytes, string? Message)
{
    public static FollowerAppendResult Failure(ErrorCode error, string message) => new(error, 0, message);
}
