using Tributary.Protocol.Acls;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Security;

/// <summary>
/// One ACL binding (Kafka's StandardAcl): a resource pattern and an access control entry. Equal
/// bindings are the same ACL: creating one that exists is a no-op. The metadata log stores each with
/// a Uuid (AccessControlEntryRecord); <see cref="AclImage"/> keys them by it.
/// </summary>
public sealed record AclEntry(
    AclResourceType ResourceType,
    string ResourceName,
    AclPatternType PatternType,
    string Principal,
    string Host,
    AclOperation Operation,
    AclPermissionType Permission)
{
    public static AclEntry FromRecord(AccessControlEntryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AclEntry(AclNames.ResourceType(record.ResourceType), record.ResourceName, AclNames.PatternType(record.PatternType),
            record.Principal, record.Host, AclNames.Operation(record.Operation), AclNames.Permission(record.PermissionType));
    }

    public AccessControlEntryRecord ToRecord(Guid id) => new()
    {
        Id = id,
        ResourceType = (sbyte)ResourceType,
        ResourceName = ResourceName,
        PatternType = (sbyte)PatternType,
        Principal = Principal,
        Host = Host,
        Operation = (sbyte)Operation,
        PermissionType = (sbyte)Permission,
    };

    public override string ToString() =>
        $"(resourceType={AclNames.Of(ResourceType)}, name={ResourceName}, patternType={AclNames.Of(PatternType)}, principal={Principal}, host={Host}, operation={AclNames.Of(Operation)}, permissionType={AclNames.Of(Permission)})";
}
