using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// DescribeQuorum v0-2 (KIP-595/836/853) for today's single-node metadata quorum: the local
/// <c>__cluster_metadata-0</c> log, led by this node for ever (<see cref="LocalMetadataStore.LeaderEpochValue"/>).
/// <list type="bullet">
/// <item>The request must name exactly <c>__cluster_metadata</c> partition 0; anything else gets
/// UNKNOWN_TOPIC_OR_PARTITION on every partition it named, as Kafka's Raft client answers.</item>
/// <item>A node without the controller role answers NOT_LEADER_OR_FOLLOWER for the metadata
/// partition (leader unknown). A Kafka broker would forward the request to the active controller;
/// Tributary has no controller to forward to yet, so it answers as a Raft node that does not lead.</item>
/// <item>The high watermark is the metadata log end (image offset + 1): every append is committed
/// at once because this node is the only member that counts.</item>
/// <item>Voters are <c>controller.quorum.voters</c> (just this node when only bootstrap servers are
/// configured). This node reports its log end and "now" for both timestamps; voters it has no
/// contact with report -1 for all three, which a roller reads as not caught up. Static voters have
/// no directory id (zero UUID). Observers are empty: brokers do not fetch the metadata log from here.</item>
/// <item>v2 lists each voter's controller endpoint (first <c>controller.listener.names</c> entry).</item>
/// </list>
/// </summary>
public sealed class DescribeQuorumHandler : RequestHandler<DescribeQuorumRequest, DescribeQuorumResponse>
{
    private const int MetadataPartition = 0;
    private const long Unknown = -1;

    private readonly IMetadataView _metadata;
    private readonly BrokerConfig _config;
    private readonly TimeProvider _time;

    public DescribeQuorumHandler(IMetadataView metadata, BrokerConfig config, TimeProvider? time = null)
        : base(ApiKey.DescribeQuorum, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(config);
        _metadata = metadata;
        _config = config;
        _time = time ?? TimeProvider.System;
    }

    protected override ValueTask<DescribeQuorumResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeQuorumRequest request, CancellationToken ct)
    {
        var response = new DescribeQuorumResponse { ErrorMessage = null };
        if (!NamesOnlyTheMetadataPartition(request))
        {
            foreach (var topic in request.Topics)
            {
                var data = new DescribeQuorumResponse.TopicData { TopicName = topic.TopicName };
                foreach (var partition in topic.Partitions)
                {
                    data.Partitions.Add(ErrorPartition(partition.PartitionIndex, ErrorCode.UnknownTopicOrPartition,
                        $"Only {TopicNames.ClusterMetadata}-{MetadataPartition} has a quorum."));
                }

                response.Topics.Add(data);
            }

            return ValueTask.FromResult<DescribeQuorumResponse?>(response);
        }

        var metadata = new DescribeQuorumResponse.TopicData { TopicName = TopicNames.ClusterMetadata };
        response.Topics.Add(metadata);
        if (!_config.IsController)
        {
            metadata.Partitions.Add(ErrorPartition(MetadataPartition, ErrorCode.NotLeaderOrFollower,
                $"Node {_config.NodeId} is not a controller and has no active controller to forward DescribeQuorum to."));
            return ValueTask.FromResult<DescribeQuorumResponse?>(response);
        }

        var logEnd = _metadata.Current.Offset + 1;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var partitionData = new DescribeQuorumResponse.PartitionData
        {
            PartitionIndex = MetadataPartition,
            ErrorMessage = null,
            LeaderId = _config.NodeId,
            LeaderEpoch = LocalMetadataStore.LeaderEpochValue,
            HighWatermark = logEnd,
        };
        foreach (var voter in Voters())
        {
            var self = voter.Id == _config.NodeId;
            partitionData.CurrentVoters.Add(new DescribeQuorumResponse.ReplicaState
            {
                ReplicaId = voter.Id,
                ReplicaDirectoryId = Guid.Empty,
                LogEndOffset = self ? logEnd : Unknown,
                LastFetchTimestamp = self ? now : Unknown,
                LastCaughtUpTimestamp = self ? now : Unknown,
            });
            if (header.RequestApiVersion >= 2 && voter.Endpoint is { } endpoint && _config.ControllerListenerNames.Count > 0)
            {
                response.Nodes.Add(new DescribeQuorumResponse.Node
                {
                    NodeId = voter.Id,
                    Listeners = [new DescribeQuorumResponse.Listener { Name = _config.ControllerListenerNames[0], Host = endpoint.Host, Port = (ushort)endpoint.Port }],
                });
            }
        }

        metadata.Partitions.Add(partitionData);
        return ValueTask.FromResult<DescribeQuorumResponse?>(response);
    }

    /// <summary>Kafka's rule: exactly one topic, the metadata topic, with exactly partition 0.</summary>
    private static bool NamesOnlyTheMetadataPartition(DescribeQuorumRequest request) =>
        request.Topics is [{ TopicName: TopicNames.ClusterMetadata, Partitions: [{ PartitionIndex: MetadataPartition }] }];

    /// <summary>The configured voters in id order; with only bootstrap servers, this node alone (it leads itself).</summary>
    private IEnumerable<(int Id, QuorumVoter? Endpoint)> Voters()
    {
        if (_config.QuorumVoters.Count == 0)
        {
            return [(_config.NodeId, null)];
        }

        return _config.QuorumVoters.OrderBy(v => v.Id).Select(v => (v.Id, (QuorumVoter?)v));
    }

    private static DescribeQuorumResponse.PartitionData ErrorPartition(int index, ErrorCode error, string message) => new()
    {
        PartitionIndex = index,
        ErrorCode = (short)error,
        ErrorMessage = message,
        LeaderId = -1,
        LeaderEpoch = -1,
        HighWatermark = Unknown,
    };
}
