using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Support;

/// <summary>ACL set-up through Confluent.Kafka's admin API.</summary>
public static class Acls
{
    public static AclBinding Topic(string topic, AclOperation operation, AclPermissionType permission,
        string principal = "User:*", ResourcePatternType pattern = ResourcePatternType.Literal) => new()
    {
        Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = topic, ResourcePatternType = pattern },
        Entry = new AccessControlEntry { Principal = principal, Host = "*", Operation = operation, PermissionType = permission },
    };

    public static AclBindingFilter TopicFilter(string? topic, ResourcePatternType pattern) => new()
    {
        PatternFilter = new ResourcePatternFilter { Type = ResourceType.Topic, Name = topic, ResourcePatternType = pattern },
        EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
    };

    public static async Task CreateAsync(string bootstrap, params AclBinding[] acls)
    {
        using var admin = new AdminClientBuilder(RealClients.AdminConfig(bootstrap)).Build();
        await admin.CreateAclsAsync(acls).ConfigureAwait(false);
    }

    public static async Task<List<AclBinding>> DescribeAsync(string bootstrap, AclBindingFilter filter)
    {
        using var admin = new AdminClientBuilder(RealClients.AdminConfig(bootstrap)).Build();
        return (await admin.DescribeAclsAsync(filter).ConfigureAwait(false)).AclBindings;
    }
}
