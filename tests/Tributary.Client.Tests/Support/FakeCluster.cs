using System.Collections.Concurrent;
using System.Globalization;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Support;

/// <summary>
/// Brokers 1..n at fake.local:900n answering through a handler, for testing routing and retries
/// without sockets. Every request is recorded with the node it went to.
/// </summary>
public sealed class FakeCluster : IKafkaConnectionFactory
{
    private readonly ConcurrentQueue<(int Node, IApiRequest Request, short Version)> _log = new();
    private readonly HashSet<ApiKey> _unsupported;
    private readonly ConcurrentDictionary<int, bool> _down = new();

    public FakeCluster(int brokers, Func<int, IApiRequest, short, IApiResponse> handler, params ApiKey[] unsupported)
    {
        Brokers = brokers;
        Handler = handler;
        _unsupported = [.. unsupported];
    }

    public int Brokers { get; }

    public Func<int, IApiRequest, short, IApiResponse> Handler { get; set; }

    public string BootstrapServers => string.Join(',', Enumerable.Range(1, Brokers).Select(i => $"fake.local:{9000 + i}"));

    public IReadOnlyList<(int Node, IApiRequest Request, short Version)> Requests => _log.ToArray();

    public IEnumerable<T> RequestsOf<T>() => _log.Select(r => r.Request).OfType<T>();

    public IEnumerable<int> NodesOf<T>() => _log.Where(r => r.Request is T).Select(r => r.Node);

    public void SetDown(int node, bool down) => _down[node] = down;

    public bool IsDown(int node) => _down.TryGetValue(node, out var down) && down;

    internal IApiResponse Handle(int node, IApiRequest request, short version)
    {
        _log.Enqueue((node, request, version));
        return Handler(node, request, version);
    }

    public Task<IKafkaConnection> ConnectAsync(BrokerEndpoint endpoint, CancellationToken cancellationToken)
    {
        var node = endpoint.Port - 9000;
        if (endpoint.Host != "fake.local" || node < 1 || node > Brokers || IsDown(node))
        {
            throw new KafkaException(ErrorCode.NetworkException, $"cannot connect to {endpoint}");
        }

        var versions = new ApiVersionTable(ApiKeys.All.Where(k => !_unsupported.Contains(k.Key))
            .Select(k => new KeyValuePair<ApiKey, ApiVersionRange>(k.Key, new ApiVersionRange(k.LowestVersion, k.HighestVersion))));
        return Task.FromResult<IKafkaConnection>(new FakeConnection(this, node, endpoint, versions));
    }

    /// <summary>A Metadata response listing every broker, the controller and topics with partition leaders.</summary>
    public MetadataResponse Metadata(int controller, params (string Topic, int[] Leaders)[] topics) => new()
    {
        ClusterId = "fake-cluster",
        ControllerId = controller,
        Brokers = Enumerable.Range(1, Brokers).Select(i => new MetadataResponse.MetadataResponseBroker
        {
            NodeId = i,
            Host = "fake.local",
            Port = 9000 + i,
            Rack = "zone-" + i.ToString(CultureInfo.InvariantCulture),
        }).ToList(),
        Topics = topics.Select(t => new MetadataResponse.MetadataResponseTopic
        {
            Name = t.Topic,
            Partitions = t.Leaders.Select((leader, index) => new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = index,
                LeaderId = leader,
                ReplicaNodes = Enumerable.Range(1, Brokers).ToList(),
                IsrNodes = Enumerable.Range(1, Brokers).ToList(),
            }).ToList(),
        }).ToList(),
    };

    public static ClientOptions Options(FakeCluster cluster, int retries = 5) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        RetryBackoff = TimeSpan.FromMilliseconds(1),
        RetryBackoffMax = TimeSpan.FromMilliseconds(5),
        Retries = retries,
    };
}
