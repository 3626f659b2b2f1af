using Tributary.Broker.Quorum;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Quorum;

/// <summary>FetchSnapshot v0-1: a replica behind the leader's log start downloads its latest snapshot in chunks.</summary>
public sealed class FetchSnapshotHandler(RaftDriver driver)
    : RaftRequestHandler<FetchSnapshotRequest, FetchSnapshotResponse>(driver, ApiKey.FetchSnapshot, 0, 1);
