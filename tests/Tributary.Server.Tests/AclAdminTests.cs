using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>Confluent.Kafka's ACL admin API (CreateAcls, DescribeAcls, DeleteAcls) against a broker enforcing ACLs.</summary>
public sealed class AclAdminTests : IClassFixture<AclBrokerFixture>
{
    private readonly AclBrokerFixture _fixture;

    public AclAdminTests(AclBrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Acls_are_created_described_with_match_and_deleted()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("acl-admin");
        await Acls.CreateAsync(bootstrap,
            Acls.Topic(topic, AclOperation.Read, AclPermissionType.Allow, "User:test1", ResourcePatternType.Prefixed),
            Acls.Topic(topic, AclOperation.Write, AclPermissionType.Allow, "User:test2"),
            Acls.Topic(topic + "-other", AclOperation.Write, AclPermissionType.Allow, "User:test2"));

        var matching = await Acls.DescribeAsync(bootstrap, Acls.TopicFilter(topic, ResourcePatternType.Match));
        Assert.Equal(2, matching.Count);
        Assert.Contains(matching, b => b.Entry.Principal == "User:test1" && b.Pattern.ResourcePatternType == ResourcePatternType.Prefixed && b.Entry.Operation == AclOperation.Read);
        Assert.Contains(matching, b => b.Entry.Principal == "User:test2" && b.Pattern.ResourcePatternType == ResourcePatternType.Literal && b.Entry.Operation == AclOperation.Write);

        var literal = await Acls.DescribeAsync(bootstrap, Acls.TopicFilter(topic, ResourcePatternType.Literal));
        Assert.Equal("User:test2", Assert.Single(literal).Entry.Principal);

        using var admin = new AdminClientBuilder(RealClients.AdminConfig(bootstrap)).Build();
        var deleted = await admin.DeleteAclsAsync([Acls.TopicFilter(topic, ResourcePatternType.Match)]);
        Assert.Equal(2, Assert.Single(deleted).AclBindings.Count);
        Assert.Empty(await Acls.DescribeAsync(bootstrap, Acls.TopicFilter(topic, ResourcePatternType.Match)));
        Assert.Single(await Acls.DescribeAsync(bootstrap, Acls.TopicFilter(topic + "-other", ResourcePatternType.Any)));
    }

    [Fact]
    public async Task An_invalid_binding_is_refused_with_invalid_request()
    {
        using var admin = new AdminClientBuilder(RealClients.AdminConfig(_fixture.Broker.BootstrapServers)).Build();
        var clusterAcl = new AclBinding
        {
            Pattern = new ResourcePattern { Type = ResourceType.Broker, Name = "not-the-cluster", ResourcePatternType = ResourcePatternType.Literal },
            Entry = new AccessControlEntry { Principal = "User:x", Host = "*", Operation = AclOperation.Alter, PermissionType = AclPermissionType.Allow },
        };
        var e = await Assert.ThrowsAsync<CreateAclsException>(() => admin.CreateAclsAsync([clusterAcl]));
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Single(e.Results).Error.Code);
    }
}
