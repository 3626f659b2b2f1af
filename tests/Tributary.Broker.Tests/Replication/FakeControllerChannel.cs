using Tributary.Broker.Cluster;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Tests.Replication;

/// <summary>
/// The controller side of AlterPartition for replication tests: checks the proposal against the
/// cluster's current image (leader epoch, partition epoch, only live replicas may join), commits
/// the new ISR with the next partition epoch by publishing a new image to every running node,
/// and answers with the committed state. Can be paused to keep proposals in flight.
/// </summary>
internal sealed class FakeControllerChannel : IControllerChannel
{
    private readonly ReplicaCluster _cluster;
    private readonly SemaphoreSlim _open = new(1, 1);

    public FakeControllerChannel(ReplicaCluster cluster) => _cluster = cluster;

    public int Requests;

    /// <summary>Holds every AlterPartition until <see cref="Resume"/> (tests of in-flight changes).</summary>
    public void Pause() => _open.Wait();

    public void Resume() => _open.Release();

    public async Task<IApiResponse> SendAsync(IApiRequest request, TimeSpan timeout, CancellationToken ct)
    {
        var alter = (AlterPartitionRequest)request;
        Interlocked.Increment(ref Requests);
        await _open.WaitAsync(ct);
        _open.Release();
        var response = new AlterPartitionResponse();
        foreach (var topic in alter.Topics)
        {
            var topicResponse = new AlterPartitionResponse.TopicData { TopicId = topic.TopicId, TopicName = topic.TopicName };
            response.Topics.Add(topicResponse);
            foreach (var p in topic.Partitions)
            {
                topicResponse.Partitions.Add(_cluster.ApplyAlterPartition(alter.BrokerId, topic.TopicId, p));
            }
        }

        return response;
    }
}
