using Tributary.Broker.Cluster;
using Tributary.Broker.Metadata;
using Tributary.Broker.Partitions;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Replication;

/// <summary>
/// Sends partition leaders' ISR proposals to the active controller as AlterPartition (v3
/// shape: topic ids, the new ISR with each member's broker epoch, this broker's epoch, the leader
/// and partition epochs each proposal is based on) and reads back the committed state. Like
/// Kafka's AlterPartitionManager, one request is in flight at a time and proposals made meanwhile
/// go together in the next one (a broker failure shrinks many ISRs at once).
/// </summary>
public sealed class AlterPartitionSender : IIsrChangeSender
{
    private readonly int _nodeId;
    private readonly IControllerChannel _controller;
    private readonly IMetadataView _metadata;
    private readonly TimeSpan _timeout;
    private readonly Lock _lock = new();
    private readonly List<(IsrChangeProposal Proposal, TaskCompletionSource<IsrChangeResult> Done)> _queued = [];
    private bool _sending;

    public AlterPartitionSender(int nodeId, IControllerChannel controller, IMetadataView metadata, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(metadata);
        _nodeId = nodeId;
        _controller = controller;
        _metadata = metadata;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    public Task<IsrChangeResult> SendAsync(IsrChangeProposal proposal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var done = new TaskCompletionSource<IsrChangeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _queued.Add((proposal, done));
            if (_sending)
            {
                return done.Task;
            }

            _sending = true;
        }

        _ = Task.Run(() => DrainAsync(ct), CancellationToken.None);
        return done.Task;
    }

    /// <summary>The request for some proposals (both ISR shapes are filled; the channel's version picks one).</summary>
    public static AlterPartitionRequest Build(IReadOnlyList<IsrChangeProposal> proposals, MetadataImage image, int nodeId)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        ArgumentNullException.ThrowIfNull(image);
        var request = new AlterPartitionRequest
        {
            BrokerId = nodeId,
            BrokerEpoch = image.Brokers.TryGetValue(nodeId, out var self) ? self.Epoch : -1,
        };
        foreach (var group in proposals.GroupBy(p => (p.TopicId, p.Topic)))
        {
            var topic = new AlterPartitionRequest.TopicData { TopicId = group.Key.TopicId, TopicName = group.Key.Topic };
            foreach (var proposal in group)
            {
                var data = new AlterPartitionRequest.PartitionData
                {
                    PartitionIndex = proposal.Partition,
                    LeaderEpoch = proposal.LeaderEpoch,
                    PartitionEpoch = proposal.PartitionEpoch,
                    LeaderRecoveryState = 0,
                    NewIsr = [.. proposal.NewIsr],
                };
                foreach (var replica in proposal.NewIsr)
                {
                    data.NewIsrWithEpochs.Add(new AlterPartitionRequest.BrokerState
                    {
                        BrokerId = replica,
                        BrokerEpoch = image.Brokers.TryGetValue(replica, out var broker) ? broker.Epoch : -1,
                    });
                }

                topic.Partitions.Add(data);
            }

            request.Topics.Add(topic);
        }

        return request;
    }

    /// <summary>Sends what is queued, one request at a time, until nothing is left.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        while (true)
        {
            List<(IsrChangeProposal Proposal, TaskCompletionSource<IsrChangeResult> Done)> batch;
            lock (_lock)
            {
                if (_queued.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = [.. _queued];
                _queued.Clear();
            }

            try
            {
                var request = Build([.. batch.Select(b => b.Proposal)], _metadata.Current, _nodeId);
                var response = (AlterPartitionResponse)await _controller.SendAsync(request, _timeout, ct).ConfigureAwait(false);
                foreach (var (proposal, done) in batch)
                {
                    done.TrySetResult(Read(proposal, response));
                }
            }
#pragma warning disable CA1031 // The failure belongs to each proposal's caller, which retries later.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>The proposal's partition in a response: the top-level error, the partition's error, or the committed state.</summary>
    public static IsrChangeResult Read(IsrChangeProposal proposal, AlterPartitionResponse response)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(response);
        if (response.ErrorCode != (short)ErrorCode.None)
        {
            return IsrChangeResult.Failed((ErrorCode)response.ErrorCode);
        }

        foreach (var topic in response.Topics)
        {
            var matches = topic.TopicId != Guid.Empty ? topic.TopicId == proposal.TopicId : string.Equals(topic.TopicName, proposal.Topic, StringComparison.Ordinal);
            if (!matches)
            {
                continue;
            }

            foreach (var p in topic.Partitions)
            {
                if (p.PartitionIndex == proposal.Partition)
                {
                    return p.ErrorCode != (short)ErrorCode.None
                        ? IsrChangeResult.Failed((ErrorCode)p.ErrorCode)
                        : new IsrChangeResult(ErrorCode.None, p.LeaderId, p.LeaderEpoch, p.PartitionEpoch, [.. p.Isr]);
                }
            }
        }

        return IsrChangeResult.Failed(ErrorCode.UnknownTopicOrPartition);
    }
}
