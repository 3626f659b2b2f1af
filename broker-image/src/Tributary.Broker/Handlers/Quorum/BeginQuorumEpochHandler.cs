using Tributary.Broker.Quorum;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Quorum;

/// <summary>BeginQuorumEpoch v0-1: a newly elected leader announces its epoch.</summary>
public sealed class BeginQuorumEpochHandler(RaftDriver driver)
    : RaftRequestHandler<BeginQuorumEpochRequest, BeginQuorumEpochResponse>(driver, ApiKey.BeginQuorumEpoch, 0, 1);
