using Tributary.Protocol;

namespace Tributary.Client;

/// <summary>How the client treats each error code: retry or give up, and whether routing is stale.</summary>
public static class KafkaErrors
{
    /// <summary>Errors after which the same request can succeed (Kafka's RetriableException subclasses).</summary>
    public static bool IsRetriable(ErrorCode code) => code switch
    {
        ErrorCode.CorruptMessage => true,
        ErrorCode.UnknownTopicOrPartition => true,
        ErrorCode.LeaderNotAvailable => true,
        ErrorCode.NotLeaderOrFollower => true,
        ErrorCode.RequestTimedOut => true,
        ErrorCode.ReplicaNotAvailable => true,
        ErrorCode.NetworkException => true,
        ErrorCode.BrokerNotAvailable => true,
        ErrorCode.CoordinatorLoadInProgress => true,
        ErrorCode.CoordinatorNotAvailable => true,
        ErrorCode.NotCoordinator => true,
        ErrorCode.NotEnoughReplicas => true,
        ErrorCode.NotEnoughReplicasAfterAppend => true,
        ErrorCode.NotController => true,
        ErrorCode.KafkaStorageError => true,
        ErrorCode.FetchSessionIdNotFound => true,
        ErrorCode.InvalidFetchSessionEpoch => true,
        ErrorCode.FencedLeaderEpoch => true,
        ErrorCode.UnknownLeaderEpoch => true,
        ErrorCode.OffsetNotAvailable => true,
        ErrorCode.PreferredLeaderNotAvailable => true,
        ErrorCode.EligibleLeadersNotAvailable => true,
        ErrorCode.UnstableOffsetCommit => true,
        ErrorCode.ThrottlingQuotaExceeded => true,
        ErrorCode.ConcurrentTransactions => true,
        _ => false,
    };

    /// <summary>Errors that mean the cached leader or controller is wrong: refresh metadata before retrying.</summary>
    public static bool InvalidatesMetadata(ErrorCode code) => code switch
    {
        ErrorCode.UnknownTopicOrPartition => true,
        ErrorCode.LeaderNotAvailable => true,
        ErrorCode.NotLeaderOrFollower => true,
        ErrorCode.ReplicaNotAvailable => true,
        ErrorCode.NetworkException => true,
        ErrorCode.RequestTimedOut => true,
        ErrorCode.NotController => true,
        ErrorCode.KafkaStorageError => true,
        ErrorCode.FencedLeaderEpoch => true,
        ErrorCode.UnknownLeaderEpoch => true,
        _ => false,
    };

    /// <summary>Errors that mean the cached group or transaction coordinator is wrong.</summary>
    public static bool InvalidatesCoordinator(ErrorCode code) =>
        code is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.NetworkException or ErrorCode.RequestTimedOut;
}
