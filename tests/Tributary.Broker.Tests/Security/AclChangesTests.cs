using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Security;

public sealed class AclChangesTests
{
    private static int _ids;

    private static Guid NextId() => new(Interlocked.Increment(ref _ids), 1, 1, new byte[8]);

    internal static CreateAclsRequest.AclCreation Creation(sbyte type, string name, sbyte pattern = 3, string principal = "User:a", sbyte op = 3, sbyte permission = 3) => new()
    {
        ResourceType = type,
        ResourceName = name,
        ResourcePatternType = pattern,
        Principal = principal,
        Host = "*",
        Operation = op,
        PermissionType = permission,
    };

    private static MetadataImage Apply(MetadataImage image, IEnumerable<IMetadataRecord> records) =>
        MetadataDelta.Apply(image, records, image.Offset + 1);

    [Theory]
    [InlineData(4, "my-cluster", 3, "User:a", 7, 3, "The only valid name for the CLUSTER resource is kafka-cluster")]
    [InlineData(2, "", 3, "User:a", 3, 3, "Invalid empty resource name")]
    [InlineData(1, "t", 3, "User:a", 3, 3, "Invalid resourceType ANY")]
    [InlineData(0, "t", 3, "User:a", 3, 3, "Invalid resourceType UNKNOWN")]
    [InlineData(2, "t", 2, "User:a", 3, 3, "Invalid patternType MATCH")]
    [InlineData(2, "t", 1, "User:a", 3, 3, "Invalid patternType ANY")]
    [InlineData(2, "t", 3, "User:a", 1, 3, "Invalid operation ANY")]
    [InlineData(2, "t", 3, "User:a", 3, 1, "Invalid permissionType ANY")]
    [InlineData(2, "t", 3, "alice", 3, 3, "Invalid principal: expected a string in format principalType:principalName but got alice")]
    public void Invalid_bindings_fail_with_kafkas_messages(sbyte type, string name, sbyte pattern, string principal, sbyte op, sbyte permission, string message)
    {
        var plan = AclChanges.PlanCreate(MetadataImage.Empty("c"), [Creation(type, name, pattern, principal, op, permission)], NextId);
        Assert.Empty(plan.Records);
        var result = Assert.Single(plan.Result.Results);
        Assert.Equal((short)ErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Equal(message, result.ErrorMessage);
    }

    [Fact]
    public void Creating_is_idempotent_and_deleting_removes_each_acl_once()
    {
        var image = MetadataImage.Empty("c");
        var create = AclChanges.PlanCreate(image, [Creation(2, "t"), Creation(2, "t"), Creation(4, "kafka-cluster", op: 7), Creation(2, "t", 0)], NextId);
        Assert.Equal(2, create.Records.Count);
        Assert.Equal([0, 0, 0, (short)ErrorCode.InvalidRequest], create.Result.Results.Select(r => r.ErrorCode));
        image = Apply(image, create.Records);
        Assert.Equal(2, image.Acls.Count);

        var again = AclChanges.PlanCreate(image, [Creation(2, "t")], NextId);
        Assert.Empty(again.Records);
        Assert.Equal(0, Assert.Single(again.Result.Results).ErrorCode);

        var delete = AclChanges.PlanDelete(image,
        [
            new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 1, ResourceNameFilter = null, PatternTypeFilter = 1, PrincipalFilter = null, HostFilter = null, Operation = 1, PermissionType = 1 },
            new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 2, ResourceNameFilter = "t", PatternTypeFilter = 2, PrincipalFilter = null, HostFilter = null, Operation = 1, PermissionType = 1 },
            new DeleteAclsRequest.DeleteAclsFilter { ResourceTypeFilter = 0, PatternTypeFilter = 1, Operation = 1, PermissionType = 1 },
        ]);
        Assert.Equal(2, delete.Records.Count);
        Assert.Equal(2, delete.Result.FilterResults[0].MatchingAcls.Count);
        Assert.Equal("t", Assert.Single(delete.Result.FilterResults[1].MatchingAcls).ResourceName);
        Assert.Equal((short)ErrorCode.InvalidRequest, delete.Result.FilterResults[2].ErrorCode);
        Assert.Equal(0, Apply(image, delete.Records).Acls.Count);
    }

    [Fact]
    public void Replay_indexes_acls_and_rejects_removing_an_unknown_one()
    {
        var id = NextId();
        var image = Apply(MetadataImage.Empty("c"),
            [new AccessControlEntryRecord { Id = id, ResourceType = 2, ResourceName = "t", PatternType = 3, Principal = "User:*", Host = "*", Operation = 2, PermissionType = 2 }]);
        Assert.Equal(AclDecision.Denied, image.Acls.Decide(AclResourceType.Topic, "t", AclNames.Anonymous, null, AclOperation.Read));
        Assert.Equal(AclDecision.NoAcls, image.Acls.Decide(AclResourceType.Topic, "u", AclNames.Anonymous, null, AclOperation.Read));

        var later = Apply(image, [new ProducerIdsRecord { BrokerId = 1, NextProducerId = 10 }]);
        Assert.Same(image.Acls, later.Acls);

        Assert.Throws<MetadataReplayException>(() => Apply(image, [new RemoveAccessControlEntryRecord { Id = NextId() }]));
        Assert.Equal(0, Apply(image, [new RemoveAccessControlEntryRecord { Id = id }]).Acls.Count);
    }
}
