using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>Topic creation in cluster mode places replicas on registered, unfenced brokers only.</summary>
public class ClusterPlacementTests
{
    [Fact]
    public async Task ConsumerOffsetsGetsReplicationFactorOfAtMostTheUnfencedBrokers()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.RegisterAsync(3); // registered, still fenced

        var error = await h.Controller.EnsureInternalTopicAsync("__consumer_offsets", 5, 3, new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(ErrorCode.None, error);
        var topic = h.Image.Topic("__consumer_offsets")!;
        Assert.All(topic.Partitions.Values, p =>
        {
            Assert.Equal(2, p.Replicas.Count);
            Assert.DoesNotContain(3, p.Replicas);
        });
    }

    [Fact]
    public async Task CreateTopicsSpreadsOverRacksOfUnfencedBrokersAndRefusesTooHighAFactor()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2, 3);
        var request = new CreateTopicsRequest();
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "spread", NumPartitions = 6, ReplicationFactor = 3 });
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "toomany", NumPartitions = 1, ReplicationFactor = 4 });
        var response = await h.Controller.CreateTopicsAsync(request, CancellationToken.None);
        Assert.Equal(0, response.Topics[0].ErrorCode);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, (ErrorCode)response.Topics[1].ErrorCode);
        Assert.All(h.Image.Topic("spread")!.Partitions.Values, p => Assert.Equal(3, p.Replicas.Select(b => h.Image.Brokers[b].Rack).Distinct().Count()));
    }
}
