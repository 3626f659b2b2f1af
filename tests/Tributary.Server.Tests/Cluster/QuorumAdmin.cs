using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol.Messages;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// The metadata quorum as an operator sees it (<c>kafka-metadata-quorum describe</c>, the controllers'
/// metrics). In KRaft a client's Metadata/DescribeCluster ControllerId names a random live broker, not
/// the Raft leader, so the active controller is found here instead.
/// </summary>
public static class QuorumAdmin
{
    private const string ActiveControllerGauge = "kafka_controller_kafkacontroller_activecontrollercount";

    /// <summary>DescribeQuorum v2 of <c>__cluster_metadata</c>, sent to <paramref name="port"/> on loopback (a broker forwards it to the active controller).</summary>
    public static async Task<DescribeQuorumResponse.PartitionData> DescribeAsync(int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var connection = await KafkaConnection.ConnectAsync(new BrokerEndpoint("127.0.0.1", port), new ClientOptions { ClientId = "quorum-admin" }, timeout.Token)
            .ConfigureAwait(false);
        var request = new DescribeQuorumRequest
        {
            Topics = [new DescribeQuorumRequest.TopicData { TopicName = "__cluster_metadata", Partitions = [new DescribeQuorumRequest.PartitionData { PartitionIndex = 0 }] }],
        };
        var response = (DescribeQuorumResponse)await connection.SendAsync(request, 2, TimeSpan.FromSeconds(8), timeout.Token).ConfigureAwait(false);
        return response.Topics is [{ Partitions: [var partition] }]
            ? partition
            : throw new InvalidOperationException($"DescribeQuorum answered error {response.ErrorCode} with {response.Topics.Count} topics");
    }

    /// <summary>
    /// The active controller once the running controllers agree on it: exactly one reports the
    /// active-controller gauge, and DescribeQuorum (answered by the Raft leader) names the same node.
    /// </summary>
    public static async Task<int> WaitForActiveControllerAsync(ClusterProcess cluster, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var active = -1;
        var last = "nothing yet";
        await ClusterAdmin.Eventually(async () =>
        {
            var running = cluster.Controllers.Where(n => cluster.IsRunning(n.Id)).ToList();
            var claims = new List<int>();
            try
            {
                foreach (var node in running)
                {
                    if (ClusterAdmin.MetricValue(await cluster.MetricsAsync(node.Id).ConfigureAwait(false), ActiveControllerGauge) == 1)
                    {
                        claims.Add(node.Id);
                    }
                }

                var quorum = await DescribeAsync(running[0].Port).ConfigureAwait(false);
                last = $"gauge on [{string.Join(',', claims)}], DescribeQuorum error {quorum.ErrorCode} leader {quorum.LeaderId} epoch {quorum.LeaderEpoch}";
                if (quorum.ErrorCode == 0 && claims is [var only] && only == quorum.LeaderId)
                {
                    active = only;
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Net.Sockets.SocketException
                or InvalidOperationException or TimeoutException or Tributary.Client.KafkaException)
            {
                last = $"{e.GetType().Name}: {e.Message}";
            }

            return false;
        }, () => $"one active controller among the running ones (last: {last})").ConfigureAwait(false);
        log?.Invoke($"active controller: {active} ({last})");
        return active;
    }

    /// <summary>Waits until the voter's log reaches the quorum's high watermark (it rejoined and caught up).</summary>
    public static async Task WaitUntilVoterCaughtUpAsync(ClusterProcess cluster, int voter)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var last = "nothing yet";
        await ClusterAdmin.Eventually(async () =>
        {
            try
            {
                var quorum = await DescribeAsync(cluster.Brokers.First(n => cluster.IsRunning(n.Id)).Port).ConfigureAwait(false);
                var state = quorum.CurrentVoters.SingleOrDefault(v => v.ReplicaId == voter);
                last = $"error {quorum.ErrorCode}, leader {quorum.LeaderId}, hw {quorum.HighWatermark}, voter {voter} at {state?.LogEndOffset}";
                return quorum.ErrorCode == 0 && state is not null && state.LogEndOffset >= quorum.HighWatermark;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException
                or InvalidOperationException or TimeoutException or Tributary.Client.KafkaException)
            {
                last = $"{e.GetType().Name}: {e.Message}";
                return false;
            }
        }, () => $"voter {voter} caught up with the metadata quorum (last: {last})").ConfigureAwait(false);
    }
}
