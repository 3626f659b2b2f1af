using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Handlers.Admin;
using Tributary.Broker.Handlers.Security;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Broker.Tests.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Security;

/// <summary>The ACL APIs and Metadata enforcement over a real single-node metadata stack, through serialized frames.</summary>
public sealed class AclApiTests
{
    private const string Authorizer = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private static RequestDispatcher Dispatcher(MetadataStack stack)
    {
        var authz = stack.Config.AuthorizerClassName.Length == 0
            ? RequestAuthorizer.Disabled
            : new RequestAuthorizer(new Tributary.Broker.Security.Authorizer(stack.Config.SuperUsers, stack.Config.AllowEveryoneIfNoAclFound), stack.Store);
        var endpoints = new AdvertisedEndpoints(stack.Config.NodeId, _ => null);
        return new RequestDispatcher(new HandlerTable(
        [
            new DescribeAclsHandler(stack.Store, authz),
            new CreateAclsHandler(stack.Controller, authz),
            new DeleteAclsHandler(stack.Controller, authz),
            new MetadataHandler(stack.Store, stack.Controller, stack.Config, endpoints, authz),
        ]), NullLogger<RequestDispatcher>.Instance);
    }

    private static async Task<TResponse> Send<TResponse>(RequestDispatcher dispatcher, IApiRequest request, short version)
        where TResponse : IApiResponse, new()
    {
        var key = request.ApiKey;
        var header = new RequestHeader { RequestApiKey = (short)key, RequestApiVersion = version, CorrelationId = 9, ClientId = "acl-test" };
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(key, version);
        var bytes = new byte[header.Size(headerVersion) + request.Size(version)];
        var writer = new KafkaWriter(bytes);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        var connection = new ConnectionContext(1, "PLAINTEXT", SecurityProtocol.Plaintext, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Loopback, 9092));
        using var frame = await dispatcher.DispatchAsync(new RequestContext(connection, new RequestHeaderPrefix((short)key, version, 9), 0), bytes, CancellationToken.None);
        Assert.NotNull(frame);
        var reader = new KafkaReader(frame.ToArray());
        new ResponseHeader().Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(key, version));
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    private static DescribeAclsRequest DescribeTopic(string name) => new()
    {
        ResourceTypeFilter = 2, ResourceNameFilter = name, PatternTypeFilter = 2, PrincipalFilter = null, HostFilter = null, Operation = 1, PermissionType = 1,
    };

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Without_an_authorizer_every_acl_api_answers_security_disabled(short version)
    {
        await using var stack = await MetadataStack.StartAsync();
        var dispatcher = Dispatcher(stack);

        var describe = await Send<DescribeAclsResponse>(dispatcher, DescribeTopic("t"), version);
        Assert.Equal((short)ErrorCode.SecurityDisabled, describe.ErrorCode);
        Assert.Equal("No Authorizer is configured on the broker", describe.ErrorMessage);

        var create = await Send<CreateAclsResponse>(dispatcher, new CreateAclsRequest { Creations = [AclChangesTests.Creation(2, "t")] }, version);
        Assert.Equal((short)ErrorCode.SecurityDisabled, Assert.Single(create.Results).ErrorCode);

        var delete = await Send<DeleteAclsResponse>(dispatcher, new DeleteAclsRequest
        {
            Filters = [new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 1, PatternTypeFilter = 3, Operation = 1, PermissionType = 1 }],
        }, version);
        Assert.Equal((short)ErrorCode.SecurityDisabled, Assert.Single(delete.FilterResults).ErrorCode);
        Assert.Equal(0, stack.Image.Acls.Count);
    }

    [Fact]
    public async Task Acls_are_created_described_with_match_deleted_and_survive_a_restart()
    {
        var stack = await MetadataStack.StartAsync(null, ("authorizer.class.name", Authorizer), ("allow.everyone.if.no.acl.found", "true"));
        try
        {
            var dispatcher = Dispatcher(stack);
            var create = await Send<CreateAclsResponse>(dispatcher, new CreateAclsRequest
            {
                Creations =
                [
                    AclChangesTests.Creation(2, "orders", 4, "User:test1", op: 3),
                    AclChangesTests.Creation(2, "orders", 3, "User:test2", op: 4),
                    AclChangesTests.Creation(2, "payments", 3, "User:test2", op: 4),
                ],
            }, 3);
            Assert.All(create.Results, r => Assert.Equal(0, r.ErrorCode));

            stack = await stack.Reopen();
            dispatcher = Dispatcher(stack);
            var described = await Send<DescribeAclsResponse>(dispatcher, DescribeTopic("orders"), 3);
            Assert.Equal(0, described.ErrorCode);
            Assert.Equal(2, described.Resources.Sum(r => r.Acls.Count));
            Assert.Contains(described.Resources, r => r.PatternType == 4 && r.Acls.Single().Principal == "User:test1");

            var deleted = await Send<DeleteAclsResponse>(dispatcher, new DeleteAclsRequest
            {
                Filters = [new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 2, ResourceNameFilter = "orders", PatternTypeFilter = 2, PrincipalFilter = null, HostFilter = null, Operation = 1, PermissionType = 1 }],
            }, 3);
            Assert.Equal(2, Assert.Single(deleted.FilterResults).MatchingAcls.Count);
            Assert.Empty((await Send<DescribeAclsResponse>(dispatcher, DescribeTopic("orders"), 3)).Resources);
            Assert.Single((await Send<DescribeAclsResponse>(dispatcher, DescribeTopic("payments"), 1)).Resources);
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    [Fact]
    public async Task Denying_alter_on_the_cluster_refuses_acl_changes()
    {
        await using var stack = await MetadataStack.StartAsync(null, ("authorizer.class.name", Authorizer), ("allow.everyone.if.no.acl.found", "true"));
        var dispatcher = Dispatcher(stack);
        var deny = AclChangesTests.Creation(4, "kafka-cluster", principal: "User:*", op: (sbyte)AclOperation.Alter, permission: (sbyte)AclPermissionType.Deny);
        Assert.Equal(0, Assert.Single((await Send<CreateAclsResponse>(dispatcher, new CreateAclsRequest { Creations = [deny] }, 2)).Results).ErrorCode);

        var refused = await Send<CreateAclsResponse>(dispatcher, new CreateAclsRequest { Creations = [AclChangesTests.Creation(2, "t")] }, 2);
        Assert.Equal((short)ErrorCode.ClusterAuthorizationFailed, Assert.Single(refused.Results).ErrorCode);
        Assert.Equal(1, stack.Image.Acls.Count);

        // The cluster now has an ACL, so allow.everyone.if.no.acl.found no longer applies to it: nothing allows DESCRIBE.
        Assert.Equal((short)ErrorCode.ClusterAuthorizationFailed, (await Send<DescribeAclsResponse>(dispatcher, DescribeTopic("t"), 2)).ErrorCode);
    }

    [Fact]
    public async Task Metadata_hides_unauthorized_topics_from_list_all_and_refuses_them_by_name()
    {
        await using var stack = await MetadataStack.StartAsync(null, ("authorizer.class.name", Authorizer), ("allow.everyone.if.no.acl.found", "true"));
        var dispatcher = Dispatcher(stack);
        foreach (var name in new[] { "open", "secret" })
        {
            await stack.Controller.CreateTopicsAsync(new CreateTopicsRequest
            {
                Topics = [new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = 1, ReplicationFactor = 1 }],
            }, CancellationToken.None);
        }

        var deny = AclChangesTests.Creation(2, "secret", principal: "User:*", op: (sbyte)AclOperation.All, permission: (sbyte)AclPermissionType.Deny);
        await Send<CreateAclsResponse>(dispatcher, new CreateAclsRequest { Creations = [deny] }, 3);

        var all = await Send<MetadataResponse>(dispatcher, new MetadataRequest { Topics = null }, 12);
        Assert.Contains(all.Topics, t => t.Name == "open");
        Assert.DoesNotContain(all.Topics, t => t.Name == "secret");

        var named = await Send<MetadataResponse>(dispatcher, new MetadataRequest
        {
            Topics = [new MetadataRequest.MetadataRequestTopic { Name = "secret" }, new MetadataRequest.MetadataRequestTopic { Name = "open" }],
            IncludeTopicAuthorizedOperations = true,
        }, 9);
        Assert.Equal((short)ErrorCode.TopicAuthorizationFailed, named.Topics.Single(t => t.Name == "secret").ErrorCode);
        var open = named.Topics.Single(t => t.Name == "open");
        Assert.Equal(0, open.ErrorCode);
        Assert.Equal(Tributary.Broker.Security.Authorizer.ToBitField(Tributary.Broker.Security.Authorizer.SupportedOperations(AclResourceType.Topic)), open.TopicAuthorizedOperations);
    }
}
