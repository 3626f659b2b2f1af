using Tributary.Broker.Quorum;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Quorum;

/// <summary>
/// EndQuorumEpoch v0-1: a resigning leader names its preferred successors. v1 sends them as
/// PreferredCandidates (id and directory id); the Raft core reads the v0 id list.
/// </summary>
public sealed class EndQuorumEpochHandler(RaftDriver driver)
    : RaftRequestHandler<EndQuorumEpochRequest, EndQuorumEpochResponse>(driver, ApiKey.EndQuorumEpoch, 0, 1)
{
    protected override void Adapt(EndQuorumEpochRequest request, short version)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (version < 1)
        {
            return;
        }

        foreach (var partition in request.Topics.SelectMany(t => t.Partitions))
        {
            partition.PreferredSuccessors = partition.PreferredCandidates.Select(c => c.CandidateId).ToList();
        }
    }
}
