using Tributary.Client.Admin;
using Tributary.Client.Tests.Support;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Cluster;

/// <summary>Routing to leaders, controllers and coordinators, and retries, over an in-memory transport.</summary>
public sealed class RoutingTests
{
    private static ListOffsetsResponse Offsets(string topic, int partition, ErrorCode error, long offset) => new()
    {
        Topics =
        [
            new ListOffsetsResponse.ListOffsetsTopicResponse
            {
                Name = topic,
                Partitions = [new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition, ErrorCode = (short)error, Offset = offset }],
            },
        ],
    };

    [Fact]
    public async Task NotLeaderRefreshesMetadataAndGoesToTheNewLeader()
    {
        var leader = 1;
        FakeCluster? fake = null;
        fake = new FakeCluster(3, (node, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1, ("t", [leader])),
            ListOffsetsRequest when node == leader => Offsets("t", 0, ErrorCode.None, 42),
            ListOffsetsRequest => Offsets("t", 0, ErrorCode.NotLeaderOrFollower, -1),
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var first = await admin.ListOffsetsAsync(new Dictionary<TopicPartition, OffsetSpec> { [new("t", 0)] = OffsetSpec.Latest });
        Assert.Equal(42, first[new("t", 0)].Offset);

        leader = 3; // the leader moves; broker 1 now answers NOT_LEADER_OR_FOLLOWER
        var metadataBefore = fake.RequestsOf<MetadataRequest>().Count();
        var second = await admin.ListOffsetsAsync(new Dictionary<TopicPartition, OffsetSpec> { [new("t", 0)] = OffsetSpec.Latest });
        Assert.Equal(ErrorCode.None, second[new("t", 0)].Error);
        Assert.Equal(42, second[new("t", 0)].Offset);
        Assert.True(fake.RequestsOf<MetadataRequest>().Count() > metadataBefore);
        Assert.Equal(new[] { 1, 1, 3 }, fake.NodesOf<ListOffsetsRequest>());
        Assert.Equal(-1, fake.RequestsOf<ListOffsetsRequest>().Last().Topics[0].Partitions[0].Timestamp);
    }

    [Fact]
    public async Task NotControllerRetriesOnTheNewControllerAndOnlyTheFailedTopics()
    {
        var controller = 2;
        FakeCluster? fake = null;
        fake = new FakeCluster(3, (node, request, _) =>
        {
            switch (request)
            {
                case MetadataRequest:
                    return fake!.Metadata(controller);
                case CreateTopicsRequest create:
                    var response = new CreateTopicsResponse();
                    foreach (var topic in create.Topics)
                    {
                        var error = node != controller ? ErrorCode.NotController : topic.Name == "exists" ? ErrorCode.TopicAlreadyExists : ErrorCode.None;
                        response.Topics.Add(new CreateTopicsResponse.CreatableTopicResult { Name = topic.Name, ErrorCode = (short)error, NumPartitions = topic.NumPartitions });
                    }

                    controller = 3; // the first answer came from a deposed controller
                    return response;
                default:
                    throw new InvalidOperationException(request.ApiKey.ToString());
            }
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);
        controller = 2;
        await admin.ListTopicsAsync(); // caches controller 2
        controller = 3;

        var results = await admin.CreateTopicsAsync([new NewTopic("a", 3, 1) { Configs = new Dictionary<string, string?> { ["cleanup.policy"] = "compact" } }, new NewTopic("exists", 1, 1)]);
        Assert.True(results["a"].IsSuccess);
        Assert.Equal(3, results["a"].NumPartitions);
        Assert.Equal(ErrorCode.TopicAlreadyExists, results["exists"].Error);
        Assert.Equal(new[] { 2, 3 }, fake.NodesOf<CreateTopicsRequest>());
        var retried = fake.RequestsOf<CreateTopicsRequest>().Last();
        Assert.Equal(2, retried.Topics.Count);
        Assert.Equal("compact", retried.Topics.Single(t => t.Name == "a").Configs.Single().Value);
    }

    [Fact]
    public async Task PartialSuccessIsNotRepeated()
    {
        var calls = 0;
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) =>
        {
            switch (request)
            {
                case MetadataRequest:
                    return fake!.Metadata(1);
                case DeleteTopicsRequest delete:
                    calls++;
                    var names = delete.Topics.Count > 0 ? delete.Topics.Select(t => t.Name!).ToList() : delete.TopicNames;
                    return new DeleteTopicsResponse
                    {
                        Responses = names.Select(n => new DeleteTopicsResponse.DeletableTopicResult
                        {
                            Name = n,
                            ErrorCode = (short)(n == "slow" && calls == 1 ? ErrorCode.RequestTimedOut : n == "missing" ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None),
                        }).ToList(),
                    };
                default:
                    throw new InvalidOperationException(request.ApiKey.ToString());
            }
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);
        var results = await admin.DeleteTopicsAsync(["fast", "slow"]);
        Assert.All(results.Values, r => Assert.True(r.IsSuccess));
        var requests = fake.RequestsOf<DeleteTopicsRequest>().ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(new[] { "slow" }, requests[1].Topics.Select(t => t.Name));
    }

    [Fact]
    public async Task NetworkFailureFailsOverToAnotherBroker()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(2, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(2),
            DescribeClusterRequest => new DescribeClusterResponse
            {
                ClusterId = "c1",
                ControllerId = 2,
                Brokers = [new DescribeClusterResponse.DescribeClusterBroker { BrokerId = 2, Host = "fake.local", Port = 9002, Rack = "b" }],
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        fake.SetDown(1, true);
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);
        var cluster = await admin.DescribeClusterAsync();
        Assert.Equal("c1", cluster.ClusterId);
        Assert.Equal("b", cluster.Brokers.Single().Rack);
        Assert.All(fake.Requests, r => Assert.Equal(2, r.Node));
    }

    [Fact]
    public async Task RetriesRunOutWithTheLastError()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(-1),
            CreateTopicsRequest => new CreateTopicsResponse
            {
                Topics = [new CreateTopicsResponse.CreatableTopicResult { Name = "x", ErrorCode = (short)ErrorCode.NotController }],
            },
            DescribeQuorumRequest => throw new KafkaException(ErrorCode.NetworkException, "connection reset"),
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake, retries: 2), fake);
        var result = await admin.CreateTopicsAsync([new NewTopic("x")]);
        Assert.Equal(ErrorCode.NotController, result["x"].Error);
        Assert.Equal(3, fake.RequestsOf<CreateTopicsRequest>().Count());

        // A whole-request failure surfaces as an exception once the retries are used up.
        var error = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeQuorumAsync());
        Assert.Equal(ErrorCode.NetworkException, error.ErrorCode);
        Assert.Equal(3, fake.RequestsOf<DescribeQuorumRequest>().Count());
    }

    [Fact]
    public async Task UnsupportedApiFailsClearly()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        }, ApiKey.DescribeQuorum, ApiKey.AlterPartitionReassignments);
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);
        var quorum = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeQuorumAsync());
        Assert.Equal(ErrorCode.UnsupportedVersion, quorum.ErrorCode);
        Assert.Contains("DescribeQuorum", quorum.Message, StringComparison.Ordinal);
        var reassign = await Assert.ThrowsAsync<KafkaException>(() =>
            admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [new("t", 0)] = [1] }));
        Assert.Equal(ErrorCode.UnsupportedVersion, reassign.ErrorCode);
    }

    [Fact]
    public async Task CoordinatorMovesAreFollowed()
    {
        var coordinator = 1;
        FakeCluster? fake = null;
        fake = new FakeCluster(2, (node, request, version) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            FindCoordinatorRequest => version >= 4
                ? new FindCoordinatorResponse
                {
                    Coordinators = [new FindCoordinatorResponse.Coordinator { Key = "g", NodeId = coordinator, Host = "fake.local", Port = 9000 + coordinator }],
                }
                : new FindCoordinatorResponse { NodeId = coordinator, Host = "fake.local", Port = 9000 + coordinator },
            DescribeGroupsRequest d => new DescribeGroupsResponse
            {
                Groups =
                [
                    new DescribeGroupsResponse.DescribedGroup
                    {
                        GroupId = d.Groups[0],
                        ErrorCode = (short)(node == coordinator ? ErrorCode.None : ErrorCode.NotCoordinator),
                        GroupState = "Stable",
                        ProtocolType = "consumer",
                        ProtocolData = "range",
                        Members =
                        [
                            new DescribeGroupsResponse.DescribedGroupMember
                            {
                                MemberId = "m1",
                                ClientId = "c",
                                ClientHost = "/127.0.0.1",
                                MemberAssignment = Client.Consumer.ConsumerProtocolCodec.EncodeAssignment([new TopicPartition("t", 1)]),
                            },
                        ],
                    },
                ],
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);
        Assert.Equal("Stable", (await admin.DescribeGroupsAsync(["g"])).Single().State);
        coordinator = 2;
        var described = (await admin.DescribeGroupsAsync(["g"])).Single();
        Assert.True(described.Result.IsSuccess);
        Assert.Equal(new TopicPartition("t", 1), described.Members.Single().Assignment.Single());
        Assert.Equal(new[] { 1, 1, 2 }, fake.NodesOf<DescribeGroupsRequest>());
        Assert.Equal(2, fake.RequestsOf<FindCoordinatorRequest>().Count());
    }
}
