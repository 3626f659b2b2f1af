using Tributary.Broker.Config;
using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>
/// <see cref="IRaftTransport"/> over the Kafka protocol: one <see cref="KafkaConnection"/> per voter
/// (endpoints from <c>controller.quorum.voters</c>), opened on first use and reopened after a failure
/// with exponential backoff. Each request goes at the highest version both sides support, adapted to
/// it: EndQuorumEpoch v1 names preferred candidates instead of successors, and Fetch v13+ names the
/// metadata topic by its fixed id instead of its name.
/// </summary>
public sealed class KafkaRaftTransport : IRaftTransport, IAsyncDisposable
{
    private readonly Dictionary<int, RaftPeer> _peers;

    public KafkaRaftTransport(IReadOnlyDictionary<int, BrokerEndpoint> voters, ClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(voters);
        var clientOptions = options ?? new ClientOptions { ClientId = "raft-client", ConnectTimeout = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromSeconds(5) };
        _peers = voters.ToDictionary(v => v.Key, v => new RaftPeer(v.Key, v.Value, clientOptions, time ?? TimeProvider.System));
    }

    /// <summary>A transport to every voter of <paramref name="config"/> (except this node).</summary>
    public static KafkaRaftTransport FromConfig(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var voters = config.QuorumVoters
            .Where(v => v.Id != config.NodeId)
            .ToDictionary(v => v.Id, v => new BrokerEndpoint(v.Host, v.Port));
        var options = new ClientOptions
        {
            ClientId = $"raft-client-{config.NodeId}",
            ConnectTimeout = TimeSpan.FromMilliseconds(config.ControllerQuorumRequestTimeoutMs),
            RequestTimeout = TimeSpan.FromMilliseconds(config.ControllerQuorumRequestTimeoutMs),
        };
        return new KafkaRaftTransport(voters, options);
    }

    public async Task<IApiResponse> SendAsync(int destinationId, IApiRequest request, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_peers.TryGetValue(destinationId, out var peer))
        {
            throw new KafkaException(ErrorCode.InvalidRequest, $"node {destinationId} is not a known quorum voter");
        }

        var connection = await peer.ConnectAsync(ct).ConfigureAwait(false);
        var version = SelectVersion(connection.Versions, request.ApiKey);
        Adapt(request, version);
        try
        {
            return await connection.SendAsync(request, version, timeout, ct).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            peer.Failed(connection);
            throw;
        }
    }

    /// <summary>Kafka 3.9's KRaft versions, capped by what the peer and the schemas support. Fetch needs v12+ (epochs, divergence).</summary>
    private static short SelectVersion(ApiVersionTable versions, ApiKey key) => key switch
    {
        ApiKey.Fetch => versions.Select(key, 12, 17),
        ApiKey.Vote or ApiKey.BeginQuorumEpoch or ApiKey.EndQuorumEpoch or ApiKey.FetchSnapshot => versions.Select(key, 0, 1),
        _ => throw new KafkaException(ErrorCode.InvalidRequest, $"{key} is not a Raft RPC"),
    };

    /// <summary>Moves fields the Raft core fills in their old form to where <paramref name="version"/> carries them.</summary>
    private static void Adapt(IApiRequest request, short version)
    {
        switch (request)
        {
            case EndQuorumEpochRequest end when version >= 1:
                foreach (var partition in end.Topics.SelectMany(t => t.Partitions))
                {
                    partition.PreferredCandidates = partition.PreferredSuccessors
                        .Select(id => new EndQuorumEpochRequest.ReplicaInfo { CandidateId = id })
                        .ToList();
                }

                break;
            case FetchRequest fetch when version >= 13:
                foreach (var topic in fetch.Topics)
                {
                    if (topic.Topic == MetadataTopic.Name)
                    {
                        topic.TopicId = MetadataTopic.Id;
                    }
                }

                break;
            default:
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers.Values)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
