using Tributary.Protocol;

namespace Tributary.Broker.Coordination;

/// <summary>
/// Maps a failed append to <c>__consumer_offsets</c> to the error the client sees, as Kafka's
/// group coordinator does: replication trouble is COORDINATOR_NOT_AVAILABLE (retry), lost
/// leadership is NOT_COORDINATOR (find the coordinator again), an oversized write is
/// INVALID_COMMIT_OFFSET_SIZE for offset commits and UNKNOWN_SERVER_ERROR otherwise.
/// </summary>
public static class AppendErrors
{
    public static ErrorCode Map(ErrorCode appendError, bool offsetCommit) => appendError switch
    {
        ErrorCode.None => ErrorCode.None,
        ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend
            or ErrorCode.RequestTimedOut => ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotLeaderOrFollower or ErrorCode.KafkaStorageError or ErrorCode.FencedLeaderEpoch => ErrorCode.NotCoordinator,
        ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidFetchSize =>
            offsetCommit ? ErrorCode.InvalidCommitOffsetSize : ErrorCode.UnknownServerError,
        _ => ErrorCode.UnknownServerError,
    };
}
