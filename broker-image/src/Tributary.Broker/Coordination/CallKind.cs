namespace Tributary.Broker.Coordination;

/// <summary>What a coordinator call may do, which decides timer re-arming and append-error mapping.</summary>
internal enum CallKind
{
    /// <summary>
    /// Reads state or only pushes deadlines later (Heartbeat): no timer re-arming needed, unless
    /// the call fired passed deadlines on the way (then it has actions and the shard re-arms).
    /// </summary>
    ReadOnly,

    /// <summary>May change membership or deadlines.</summary>
    Write,

    /// <summary>OffsetCommit: oversized appends map to INVALID_COMMIT_OFFSET_SIZE.</summary>
    OffsetCommit,
}
