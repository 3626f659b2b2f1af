namespace Tributary.Broker.Partitions;

/// <summary>
/// How a partition leader proposes an ISR change to the controller (Kafka's AlterPartition).
/// Implemented over the controller channel (Replication/AlterPartitionSender); tests fake it.
/// </summary>
public interface IIsrChangeSender
{
    /// <summary>
    /// Sends <paramref name="proposal"/> and returns the controller's answer: the committed
    /// leadership on success, or the error. Transport failures throw.
    /// </summary>
    Task<IsrChangeResult> SendAsync(IsrChangeProposal proposal, CancellationToken ct);
}
