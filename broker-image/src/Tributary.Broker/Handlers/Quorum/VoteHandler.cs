using Tributary.Broker.Quorum;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Quorum;

/// <summary>Vote v0-1 (KIP-595/853), as Kafka 3.9 advertises: a candidate asks this voter for its vote.</summary>
public sealed class VoteHandler(RaftDriver driver)
    : RaftRequestHandler<VoteRequest, VoteResponse>(driver, ApiKey.Vote, 0, 1);
