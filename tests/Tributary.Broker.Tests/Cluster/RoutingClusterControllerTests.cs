using Tributary.Broker.Cluster;
using Tributary.Broker.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Cluster;

public sealed class RoutingClusterControllerTests
{
    private static ForwardingClusterController Answering(short partitions, FakeControllerChannel? channel = null) =>
        new(channel ?? new FakeControllerChannel(_ => Response(partitions)), new FakeMetadataView());

    private static CreateTopicsResponse Response(int partitions) =>
        new() { Topics = [new CreateTopicsResponse.CreatableTopicResult { Name = "t", NumPartitions = partitions }] };

    private static readonly CreateTopicsRequest Request = new() { Topics = [new CreateTopicsRequest.CreatableTopic { Name = "t" }] };

    [Fact]
    public async Task TheActiveControllerDoesTheWorkItself()
    {
        var quorum = new FakeQuorumView { IsActiveController = true };
        var router = new RoutingClusterController(Answering(1), Answering(2), quorum);

        Assert.Equal(1, (await router.CreateTopicsAsync(Request, CancellationToken.None)).Topics.Single().NumPartitions);
    }

    [Fact]
    public async Task OtherNodesForward()
    {
        var quorum = new FakeQuorumView { IsActiveController = false, LeaderId = 2 };
        var router = new RoutingClusterController(Answering(1), Answering(2), quorum);

        Assert.Equal(2, (await router.CreateTopicsAsync(Request, CancellationToken.None)).Topics.Single().NumPartitions);
    }

    [Fact]
    public async Task LosingLeadershipMidOperationForwardsToTheNewLeader()
    {
        var quorum = new FakeQuorumView { IsActiveController = true };
        var local = new ForwardingClusterController(new FakeControllerChannel(_ => throw new NotControllerException { KnownLeaderId = 3 }), new FakeMetadataView());
        var remote = new FakeControllerChannel(r => r is AllocateProducerIdsRequest
            ? new AllocateProducerIdsResponse { ProducerIdStart = 1000, ProducerIdLen = 1000 }
            : Response(2));
        var router = new RoutingClusterController(local, new ForwardingClusterController(remote, new FakeMetadataView()), quorum);

        var (error, block) = await router.AllocateProducerIdsAsync(1, 4, CancellationToken.None);

        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(1000, block.FirstId);
        Assert.Single(remote.Requests);
    }

    [Fact]
    public async Task ALocalNotControllerAnswerIsForwarded()
    {
        var quorum = new FakeQuorumView { IsActiveController = true };
        var local = new FakeControllerChannel(r => new CreateTopicsResponse
        {
            Topics = [new CreateTopicsResponse.CreatableTopicResult { Name = "t", ErrorCode = (short)ErrorCode.NotController }],
        });
        var remote = new FakeControllerChannel(_ => Response(7));
        var router = new RoutingClusterController(new ForwardingClusterController(local, new FakeMetadataView()),
            new ForwardingClusterController(remote, new FakeMetadataView()), quorum);

        var response = await router.CreateTopicsAsync(Request, CancellationToken.None);

        Assert.Equal((7, (short)0), (response.Topics.Single().NumPartitions, response.Topics.Single().ErrorCode));
        Assert.Single(local.Requests);
        Assert.Single(remote.Requests);
    }

    [Fact]
    public async Task OtherLocalErrorsAreAnsweredAsIs()
    {
        var quorum = new FakeQuorumView { IsActiveController = true };
        var local = new FakeControllerChannel(_ => new AllocateProducerIdsResponse { ErrorCode = (short)ErrorCode.StaleBrokerEpoch });
        var remote = new FakeControllerChannel(_ => throw new InvalidOperationException("must not be forwarded"));
        var router = new RoutingClusterController(new ForwardingClusterController(local, new FakeMetadataView()),
            new ForwardingClusterController(remote, new FakeMetadataView()), quorum);

        var (error, _) = await router.AllocateProducerIdsAsync(1, 2, CancellationToken.None);

        Assert.Equal(ErrorCode.StaleBrokerEpoch, error);
        Assert.Empty(remote.Requests);
    }
}
