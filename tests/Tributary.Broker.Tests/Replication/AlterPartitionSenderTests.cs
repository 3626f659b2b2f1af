using System.Collections.Immutable;
using Tributary.Broker.Metadata;
using Tributary.Broker.Partitions;
using Tributary.Broker.Replication;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Replication;

public sealed class AlterPartitionSenderTests
{
    private static readonly Guid TopicId = Guid.NewGuid();

    [Fact]
    public void RequestCarriesEpochsAndBrokerEpochsOfTheNewIsr()
    {
        var image = MetadataImage.Empty("c") with
        {
            Brokers = ImmutableSortedDictionary<int, BrokerImage>.Empty
                .Add(1, new BrokerImage(1, null, [], false, 40))
                .Add(2, new BrokerImage(2, null, [], false, 55)),
        };
        var request = AlterPartitionSender.Build([new IsrChangeProposal("t", TopicId, 3, 7, 9, [1, 2]), new IsrChangeProposal("t", TopicId, 4, 1, 1, [1])], image, 1);
        Assert.Equal((1, 40L), (request.BrokerId, request.BrokerEpoch));
        var topic = Assert.Single(request.Topics);
        Assert.Equal(TopicId, topic.TopicId);
        Assert.Equal([3, 4], topic.Partitions.Select(p => p.PartitionIndex));
        var p = topic.Partitions[0];
        Assert.Equal((3, 7, 9), (p.PartitionIndex, p.LeaderEpoch, p.PartitionEpoch));
        Assert.Equal([(1, 40L), (2, 55L)], p.NewIsrWithEpochs.Select(b => (b.BrokerId, b.BrokerEpoch)));
        Assert.Equal([1, 2], p.NewIsr);
    }

    [Fact]
    public void ResponseGivesTheCommittedStateOrTheError()
    {
        var proposal = new IsrChangeProposal("t", TopicId, 0, 7, 9, [1, 2]);
        var ok = new AlterPartitionResponse
        {
            Topics = [new AlterPartitionResponse.TopicData { TopicId = TopicId, Partitions = [new() { PartitionIndex = 0, LeaderId = 1, LeaderEpoch = 7, PartitionEpoch = 10, Isr = [1, 2] }] }],
        };
        var result = AlterPartitionSender.Read(proposal, ok);
        Assert.Equal((ErrorCode.None, 7, 10), (result.Error, result.LeaderEpoch, result.PartitionEpoch));
        Assert.Equal([1, 2], result.Isr);

        ok.Topics[0].Partitions[0].ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
        Assert.Equal(ErrorCode.FencedLeaderEpoch, AlterPartitionSender.Read(proposal, ok).Error);
        Assert.Equal(ErrorCode.NotController, AlterPartitionSender.Read(proposal, new AlterPartitionResponse { ErrorCode = (short)ErrorCode.NotController }).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, AlterPartitionSender.Read(proposal, new AlterPartitionResponse()).Error);
    }

    [Fact]
    public async Task ProposalsMadeWhileARequestIsInFlightGoTogetherInTheNextOne()
    {
        var channel = new RecordingChannel();
        var sender = new AlterPartitionSender(1, channel, new Data.TestMetadataView(MetadataImage.Empty("c")));
        var first = sender.SendAsync(new IsrChangeProposal("t", TopicId, 0, 1, 1, [1]), CancellationToken.None);
        await ReplicaCluster.WaitUntilAsync(() => channel.Requests.Count == 1, "the first request is sent");
        var second = sender.SendAsync(new IsrChangeProposal("t", TopicId, 1, 1, 1, [1]), CancellationToken.None);
        var third = sender.SendAsync(new IsrChangeProposal("u", Guid.NewGuid(), 0, 1, 1, [1]), CancellationToken.None);
        channel.Release();
        Assert.Equal(ErrorCode.None, (await first).Error);
        await ReplicaCluster.WaitUntilAsync(() => channel.Requests.Count == 2, "the queued proposals are sent together");
        channel.Release();
        Assert.Equal(ErrorCode.None, (await second).Error);
        Assert.Equal(ErrorCode.None, (await third).Error);
        Assert.Equal(2, channel.Requests[1].Topics.Count);
    }

    /// <summary>Answers each request (success for every partition) once the test releases it.</summary>
    private sealed class RecordingChannel : Broker.Cluster.IControllerChannel
    {
        private readonly SemaphoreSlim _release = new(0);

        public List<AlterPartitionRequest> Requests { get; } = [];

        public void Release() => _release.Release();

        public async Task<IApiResponse> SendAsync(IApiRequest request, TimeSpan timeout, CancellationToken ct)
        {
            var alter = (AlterPartitionRequest)request;
            lock (Requests)
            {
                Requests.Add(alter);
            }

            await _release.WaitAsync(ct);
            return new AlterPartitionResponse
            {
                Topics = [.. alter.Topics.Select(t => new AlterPartitionResponse.TopicData
                {
                    TopicId = t.TopicId,
                    Partitions = [.. t.Partitions.Select(p => new AlterPartitionResponse.PartitionData
                    {
                        PartitionIndex = p.PartitionIndex, LeaderId = 1, LeaderEpoch = p.LeaderEpoch, PartitionEpoch = p.PartitionEpoch + 1, Isr = [.. p.NewIsr],
                    })],
                })],
            };
        }
    }
}
