using Tributary.Broker.Cluster;
using Tributary.Broker.Config;
using Tributary.Broker.Network;
using Tributary.Broker.Quorum;
using Tributary.Broker.Requests;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Quorum;

/// <summary>
/// DescribeQuorum v0-2 for a Raft metadata quorum (<c>kafka-metadata-quorum describe</c>).
/// <list type="bullet">
/// <item>Anything but exactly <c>__cluster_metadata</c> partition 0 gets UNKNOWN_TOPIC_OR_PARTITION on
/// every partition it named, as Kafka's Raft client answers.</item>
/// <item>The leader answers from its Raft state: voters and observers with their log end offsets and
/// last fetch times (wall clock); a replica at the high watermark counts as caught up at its last fetch.</item>
/// <item>A node that does not lead forwards the request to the active controller when it has a
/// controller channel (Kafka brokers forward DescribeQuorum); otherwise it answers NOT_LEADER_OR_FOLLOWER
/// with the leader it knows.</item>
/// <item>v2 lists each voter's controller endpoint (first <c>controller.listener.names</c> entry).</item>
/// </list>
/// </summary>
public sealed class QuorumDescribeQuorumHandler : RequestHandler<DescribeQuorumRequest, DescribeQuorumResponse>
{
    private const int MetadataPartition = 0;
    private readonly RaftDriver _driver;
    private readonly BrokerConfig _config;
    private readonly IControllerChannel? _controller;
    private readonly TimeSpan _forwardTimeout;

    public QuorumDescribeQuorumHandler(RaftDriver driver, BrokerConfig config, IControllerChannel? controller = null)
        : base(ApiKey.DescribeQuorum, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(config);
        _driver = driver;
        _config = config;
        _controller = controller;
        _forwardTimeout = TimeSpan.FromMilliseconds(config.ControllerQuorumRequestTimeoutMs);
    }

    protected override async ValueTask<DescribeQuorumResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeQuorumRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Topics is not [{ TopicName: MetadataTopic.Name, Partitions: [{ PartitionIndex: MetadataPartition }] }])
        {
            return UnknownPartitions(request);
        }

        var response = (DescribeQuorumResponse)await _driver.HandleRequestAsync(request, ct).ConfigureAwait(false);
        var partition = response.Topics is [{ Partitions: [var p] }] ? p : null;
        if (partition?.ErrorCode == (short)ErrorCode.NotLeaderOrFollower && _controller is not null && _driver.Status.LeaderId != _config.NodeId)
        {
            try
            {
                return (DescribeQuorumResponse)await _controller.SendAsync(request, _forwardTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or Tributary.Client.KafkaException or IOException)
            {
                // No leader answered (an election is running): the local NOT_LEADER_OR_FOLLOWER answer
                // tells the client to retry, rather than a dropped connection.
            }
        }

        response.ErrorMessage = null;
        if (partition is not null)
        {
            partition.PartitionIndex = MetadataPartition;
            if (partition.ErrorCode == 0)
            {
                partition.ErrorMessage = null;
            }
        }

        if (header.RequestApiVersion >= 2 && _config.ControllerListenerNames.Count > 0)
        {
            foreach (var voter in _config.QuorumVoters.OrderBy(v => v.Id))
            {
                response.Nodes.Add(new DescribeQuorumResponse.Node
                {
                    NodeId = voter.Id,
                    Listeners = [new DescribeQuorumResponse.Listener { Name = _config.ControllerListenerNames[0], Host = voter.Host, Port = (ushort)voter.Port }],
                });
            }
        }

        return response;
    }

    private static DescribeQuorumResponse UnknownPartitions(DescribeQuorumRequest request)
    {
        var response = new DescribeQuorumResponse { ErrorMessage = null };
        foreach (var topic in request.Topics)
        {
            var data = new DescribeQuorumResponse.TopicData { TopicName = topic.TopicName };
            foreach (var partition in topic.Partitions)
            {
                data.Partitions.Add(new DescribeQuorumResponse.PartitionData
                {
                    PartitionIndex = partition.PartitionIndex,
                    ErrorCode = (short)ErrorCode.UnknownTopicOrPartition,
                    ErrorMessage = $"Only {MetadataTopic.Name}-{MetadataPartition} has a quorum.",
                    LeaderId = -1,
                    LeaderEpoch = -1,
                    HighWatermark = -1,
                });
            }

            response.Topics.Add(data);
        }

        return response;
    }
}
