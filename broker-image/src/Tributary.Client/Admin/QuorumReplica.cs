namespace Tributary.Client.Admin;

/// <summary>A voter or observer of the metadata quorum; timestamps are -1 when unknown.</summary>
public sealed record QuorumReplica(int ReplicaId, long LogEndOffset, long LastFetchTimestamp, long LastCaughtUpTimestamp);
