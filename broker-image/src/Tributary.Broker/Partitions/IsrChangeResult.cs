using Tributary.Protocol;

namespace Tributary.Broker.Partitions;

/// <summary>The controller's answer to an <see cref="IsrChangeProposal"/>: the committed state, or an error.</summary>
public sealed record IsrChangeResult(ErrorCode Error, int LeaderId, int LeaderEpoch, int PartitionEpoch, IReadOnlyList<int> Isr)
{
    public static IsrChangeResult Failed(ErrorCode error) => new(error, -1, -1, -1, []);
}
