using Tributary.Client.Admin;
using Tributary.Client.Tests.Support;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Admin;

/// <summary>CreateAcls, DescribeAcls and DeleteAcls: the fields sent per version, the answers mapped back, errors and retries.</summary>
public sealed class AclAdminTests
{
    private static readonly AclBinding DenyAllOnOrders = new(
        new ResourcePattern(AclResourceType.Topic, "orders"),
        new AccessControlEntry("User:*", "*", AclOperation.All, AclPermissionType.Deny));

    private static readonly AclBinding AllowReadOnPrefix = new(
        new ResourcePattern(AclResourceType.Group, "app-", AclPatternType.Prefixed),
        new AccessControlEntry("User:alice", "10.0.0.1", AclOperation.Read, AclPermissionType.Allow));

    [Fact]
    public async Task CreateAclsSendsEveryFieldAndMapsResultsInRequestOrder()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(2, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(2),
            CreateAclsRequest create => new CreateAclsResponse
            {
                Results = create.Creations.Select(c => new CreateAclsResponse.AclCreationResult
                {
                    ErrorCode = (short)(c.Principal == "User:alice" ? ErrorCode.InvalidRequest : ErrorCode.None),
                    ErrorMessage = c.Principal == "User:alice" ? "no such host" : null,
                }).ToList(),
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var results = await admin.CreateAclsAsync([DenyAllOnOrders, AllowReadOnPrefix]);

        Assert.True(results[DenyAllOnOrders].IsSuccess);
        Assert.Equal(ErrorCode.InvalidRequest, results[AllowReadOnPrefix].Error);
        Assert.Equal("no such host", results[AllowReadOnPrefix].ErrorMessage);
        var (_, sent, version) = Assert.Single(fake.Requests, r => r.Request is CreateAclsRequest);
        Assert.Equal(3, version);
        var creations = ((CreateAclsRequest)sent).Creations;
        Assert.Equal([(sbyte)2, (sbyte)3], creations.Select(c => c.ResourceType));
        Assert.Equal(["orders", "app-"], creations.Select(c => c.ResourceName));
        Assert.Equal([(sbyte)3, (sbyte)4], creations.Select(c => c.ResourcePatternType));
        Assert.Equal(["*", "10.0.0.1"], creations.Select(c => c.Host));
        Assert.Equal([(sbyte)2, (sbyte)3], creations.Select(c => c.Operation));
        Assert.Equal([(sbyte)2, (sbyte)3], creations.Select(c => c.PermissionType));
    }

    [Fact]
    public async Task LiteralAclsCanUseVersionZeroButPrefixedOnesNeedVersionOne()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            CreateAclsRequest create => new CreateAclsResponse { Results = create.Creations.Select(_ => new CreateAclsResponse.AclCreationResult()).ToList() },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        var options = FakeCluster.Options(fake);
        options.MaxVersions = new Dictionary<ApiKey, short> { [ApiKey.CreateAcls] = 0 };
        await using var admin = new KafkaAdminClient(options, fake);

        await admin.CreateAclsAsync([DenyAllOnOrders]);
        await admin.CreateAclsAsync([AllowReadOnPrefix]);

        Assert.Equal(new short[] { 0, 1 }, fake.Requests.Where(r => r.Request is CreateAclsRequest).Select(r => r.Version));
    }

    [Fact]
    public async Task CreateAclsRetriesOnlyTheBindingsThatFailedRetriably()
    {
        var calls = 0;
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) =>
        {
            switch (request)
            {
                case MetadataRequest:
                    return fake!.Metadata(1);
                case CreateAclsRequest create:
                    calls++;
                    return new CreateAclsResponse
                    {
                        Results = create.Creations.Select(c => new CreateAclsResponse.AclCreationResult
                        {
                            ErrorCode = (short)(calls == 1 && c.ResourceName == "app-" ? ErrorCode.RequestTimedOut : ErrorCode.None),
                        }).ToList(),
                    };
                default:
                    throw new InvalidOperationException(request.ApiKey.ToString());
            }
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var results = await admin.CreateAclsAsync([DenyAllOnOrders, AllowReadOnPrefix]);

        Assert.All(results.Values, r => Assert.True(r.IsSuccess));
        var requests = fake.RequestsOf<CreateAclsRequest>().ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("app-", Assert.Single(requests[1].Creations).ResourceName);
    }

    [Fact]
    public async Task CreateAclsRefusesFilterValuesBeforeSendingAnything()
    {
        var fake = new FakeCluster(1, (_, request, _) => throw new InvalidOperationException(request.ApiKey.ToString()));
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);
        var anyOperation = DenyAllOnOrders with { Entry = DenyAllOnOrders.Entry with { Operation = AclOperation.Any } };
        var matchPattern = DenyAllOnOrders with { Pattern = DenyAllOnOrders.Pattern with { PatternType = AclPatternType.Match } };

        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreateAclsAsync([anyOperation]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreateAclsAsync([matchPattern]));
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task DescribeAclsSendsTheFilterAndFlattensResources()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            DescribeAclsRequest => new DescribeAclsResponse
            {
                Resources =
                [
                    new DescribeAclsResponse.DescribeAclsResource
                    {
                        ResourceType = 2,
                        ResourceName = "orders",
                        PatternType = 3,
                        Acls =
                        [
                            new DescribeAclsResponse.AclDescription { Principal = "User:*", Host = "*", Operation = 2, PermissionType = 2 },
                            new DescribeAclsResponse.AclDescription { Principal = "User:bob", Host = "*", Operation = 4, PermissionType = 3 },
                        ],
                    },
                    new DescribeAclsResponse.DescribeAclsResource
                    {
                        ResourceType = 3,
                        ResourceName = "app-",
                        PatternType = 4,
                        Acls = [new DescribeAclsResponse.AclDescription { Principal = "User:alice", Host = "10.0.0.1", Operation = 3, PermissionType = 3 }],
                    },
                ],
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var acls = await admin.DescribeAclsAsync(new AclBindingFilter(
            new ResourcePatternFilter(AclResourceType.Any, null, AclPatternType.Any), new AccessControlEntryFilter("User:bob", null, AclOperation.Any, AclPermissionType.Any)));

        Assert.Equal(3, acls.Count);
        Assert.Contains(DenyAllOnOrders, acls);
        Assert.Contains(AllowReadOnPrefix, acls);
        var (_, sent, version) = Assert.Single(fake.Requests, r => r.Request is DescribeAclsRequest);
        var describe = (DescribeAclsRequest)sent;
        Assert.Equal(3, version);
        Assert.Equal(1, describe.ResourceTypeFilter);
        Assert.Null(describe.ResourceNameFilter);
        Assert.Equal(1, describe.PatternTypeFilter);
        Assert.Equal("User:bob", describe.PrincipalFilter);
        Assert.Null(describe.HostFilter);
        Assert.Equal(1, describe.Operation);
        Assert.Equal(1, describe.PermissionType);
    }

    [Fact]
    public async Task DescribeAclsRaisesTheBrokersError()
    {
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            DescribeAclsRequest => new DescribeAclsResponse { ErrorCode = (short)ErrorCode.SecurityDisabled, ErrorMessage = "No Authorizer is configured." },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var error = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeAclsAsync(AclBindingFilter.Any));

        Assert.Equal(ErrorCode.SecurityDisabled, error.ErrorCode);
        Assert.Contains("No Authorizer is configured.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAclsReturnsWhatEachFilterMatched()
    {
        var topicFilter = new AclBindingFilter(new ResourcePatternFilter(AclResourceType.Topic, "orders", AclPatternType.Literal), AccessControlEntryFilter.Any);
        var groupFilter = new AclBindingFilter(new ResourcePatternFilter(AclResourceType.Group, null, AclPatternType.Any), AccessControlEntryFilter.Any);
        FakeCluster? fake = null;
        fake = new FakeCluster(1, (_, request, _) => request switch
        {
            MetadataRequest => fake!.Metadata(1),
            DeleteAclsRequest delete => new DeleteAclsResponse
            {
                FilterResults = delete.Filters.Select(f => f.ResourceTypeFilter == 2
                    ? new DeleteAclsResponse.DeleteAclsFilterResult
                    {
                        MatchingAcls =
                        [
                            new DeleteAclsResponse.DeleteAclsMatchingAcl
                            {
                                ResourceType = 2, ResourceName = "orders", PatternType = 3, Principal = "User:*", Host = "*", Operation = 2, PermissionType = 2,
                            },
                        ],
                    }
                    : new DeleteAclsResponse.DeleteAclsFilterResult { ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ErrorMessage = "denied" }).ToList(),
            },
            _ => throw new InvalidOperationException(request.ApiKey.ToString()),
        });
        await using var admin = new KafkaAdminClient(FakeCluster.Options(fake), fake);

        var results = await admin.DeleteAclsAsync([topicFilter, groupFilter]);

        Assert.True(results[topicFilter].Result.IsSuccess);
        var deleted = Assert.Single(results[topicFilter].Deleted);
        Assert.Equal(DenyAllOnOrders, deleted.Binding);
        Assert.True(deleted.Result.IsSuccess);
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, results[groupFilter].Result.Error);
        Assert.Empty(results[groupFilter].Deleted);
        var sent = Assert.Single(fake.RequestsOf<DeleteAclsRequest>());
        Assert.Equal(["orders", null], sent.Filters.Select(f => f.ResourceNameFilter));
        Assert.Equal([(sbyte)3, (sbyte)1], sent.Filters.Select(f => f.PatternTypeFilter));
    }

    [Fact]
    public void ExactFiltersMirrorTheirBinding()
    {
        var filter = AllowReadOnPrefix.ToFilter();
        Assert.Equal(new ResourcePatternFilter(AclResourceType.Group, "app-", AclPatternType.Prefixed), filter.PatternFilter);
        Assert.Equal(new AccessControlEntryFilter("User:alice", "10.0.0.1", AclOperation.Read, AclPermissionType.Allow), filter.EntryFilter);
        Assert.True(AllowReadOnPrefix.IsConcrete);
        Assert.False((AllowReadOnPrefix with { Pattern = AllowReadOnPrefix.Pattern with { Type = AclResourceType.Any } }).IsConcrete);
    }
}
