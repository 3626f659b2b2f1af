using Tributary.Client.Admin;
using Tributary.Protocol.Acls;
using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>ACL names read the way Kafka's tool reads them and printed the way Kafka's Java types print.</summary>
public sealed class AclTextTests
{
    [Theory]
    [InlineData("All", AclOperation.All)]
    [InlineData("read", AclOperation.Read)]
    [InlineData("DescribeConfigs", AclOperation.DescribeConfigs)]
    [InlineData("IDEMPOTENT_WRITE", AclOperation.IdempotentWrite)]
    [InlineData(" ClusterAction ", AclOperation.ClusterAction)]
    public void OperationsParseInAnyCase(string text, AclOperation expected) => Assert.Equal(expected, AclText.ParseOperation(text));

    [Theory]
    [InlineData("Any")]
    [InlineData("Unknown")]
    public void FilterOnlyOperationsAreNotAcceptedForAcls(string text) => Assert.Throws<CliUsageException>(() => AclText.ParseOperation(text));

    [Fact]
    public void JavaToStringFormats()
    {
        Assert.Equal("ResourcePattern(resourceType=TRANSACTIONAL_ID, name=tx, patternType=PREFIXED)",
            AclText.Format(new ResourcePattern(AclResourceType.TransactionalId, "tx", AclPatternType.Prefixed)));
        Assert.Equal("ResourcePattern(resourceType=ANY, name=<any>, patternType=ANY)", AclText.Format(ResourcePatternFilter.Any));
        Assert.Equal("(principal=User:*, host=*, operation=DESCRIBE_CONFIGS, permissionType=ALLOW)",
            AclText.Format(new AccessControlEntry("User:*", "*", AclOperation.DescribeConfigs, AclPermissionType.Allow)));
    }

    [Fact]
    public void BlocksIndentEntriesAsKafkaDoes() => Assert.Equal(
        "Current ACLs for resource `R`: \n \t(principal=User:a, host=*, operation=READ, permissionType=ALLOW)\n\t(principal=User:b, host=h, operation=ALL, permissionType=DENY) \n\n",
        AclText.Block("Current ACLs for resource", "R",
            [new AccessControlEntry("User:a", "*", AclOperation.Read, AclPermissionType.Allow), new AccessControlEntry("User:b", "h", AclOperation.All, AclPermissionType.Deny)]));
}
