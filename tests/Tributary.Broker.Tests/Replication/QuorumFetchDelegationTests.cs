using System.Net;
using Tributary.Broker.Config;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Handlers.Data;
using Tributary.Broker.Network;
using Tributary.Broker.Quorum;
using Tributary.Broker.Requests;
using Tributary.Broker.Tests.Data;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Replication;

public sealed class QuorumFetchDelegationTests
{
    [Fact]
    public async Task MetadataLogFetchesGoToTheQuorumAndTheirBuffersAreNotPooled()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var quorum = new FakeQuorum();
        IRequestHandler handler = new FetchHandler(broker.Replicas, broker.Metadata, new FetchSessionCache(), broker.Metrics, quorum: quorum);
        var connection = new ConnectionContext(1, "PLAINTEXT", SecurityProtocol.Plaintext, new IPEndPoint(IPAddress.Loopback, 40000), null);
        var header = new RequestHeader { RequestApiKey = (short)ApiKey.Fetch, RequestApiVersion = 13 };
        var context = new RequestContext(connection, new RequestHeaderPrefix((short)ApiKey.Fetch, 13, 1), 0);

        var metadataFetch = Wire.Fetch("__cluster_metadata", 0, 0);
        var answer = (FetchResponse)(await handler.HandleAsync(context, header, metadataFetch, CancellationToken.None))!;
        Assert.Same(quorum.Answer, answer);
        Assert.Equal(13, quorum.Version);
        handler.ResponseSerialized(answer);
        Assert.NotNull(answer.Responses[0].Partitions[0].Records); // left alone: not a pooled read buffer

        var ordinary = (FetchResponse)(await handler.HandleAsync(context, header, Wire.Fetch("t", 0, 0), CancellationToken.None))!;
        Assert.NotSame(quorum.Answer, ordinary);
        Assert.Equal(1, quorum.Handled);
    }

    private sealed class FakeQuorum : IQuorumFetchHandler
    {
        public FetchResponse Answer { get; } = new()
        {
            Responses = [new FetchResponse.FetchableTopicResponse { Topic = "__cluster_metadata", Partitions = [new() { Records = new byte[] { 1, 2, 3 } }] }],
        };

        public int Handled { get; private set; }

        public short Version { get; private set; }

        public bool IsQuorumFetch(FetchRequest request) => request.Topics.Any(t => t.Topic == "__cluster_metadata");

        public ValueTask<FetchResponse> HandleAsync(FetchRequest request, short version, CancellationToken ct)
        {
            Handled++;
            Version = version;
            return ValueTask.FromResult(Answer);
        }
    }
}
