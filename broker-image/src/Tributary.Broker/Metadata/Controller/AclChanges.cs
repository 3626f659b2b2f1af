using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// Plans CreateAcls and DeleteAcls as Kafka's broker (AclApis) and controller (AclControlManager) do
/// together, pure: each creation is validated (INVALID_REQUEST with Kafka's message per result); a
/// valid binding that does not exist yet becomes an AccessControlEntryRecord with a new id, one that
/// exists succeeds without a record. Each delete filter lists the ACLs it matches and removes them
/// (one RemoveAccessControlEntryRecord per ACL, however many filters match it).
/// </summary>
public static class AclChanges
{
    public static ControllerPlan<CreateAclsResponse> PlanCreate(MetadataImage image, IReadOnlyList<CreateAclsRequest.AclCreation> creations, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(creations);
        ArgumentNullException.ThrowIfNull(newId);
        var records = new List<IMetadataRecord>();
        var pending = new HashSet<AclEntry>();
        var usedIds = new HashSet<Guid>();
        var response = new CreateAclsResponse();
        foreach (var creation in creations)
        {
            var acl = AclMessages.EntryOf(creation);
            var result = new CreateAclsResponse.AclCreationResult { ErrorMessage = null };
            if (Problem(acl) is { } problem)
            {
                result.ErrorCode = (short)ErrorCode.InvalidRequest;
                result.ErrorMessage = problem;
            }
            else if (!image.Acls.Contains(acl) && pending.Add(acl))
            {
                Guid id;
                do
                {
                    id = newId();
                }
                while (id == Guid.Empty || image.Acls.ById.ContainsKey(id) || !usedIds.Add(id));

                records.Add(acl.ToRecord(id));
            }

            response.Results.Add(result);
        }

        return new ControllerPlan<CreateAclsResponse>(records, response);
    }

    public static ControllerPlan<DeleteAclsResponse> PlanDelete(MetadataImage image, IReadOnlyList<DeleteAclsRequest.DeleteAclsFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(filters);
        var records = new List<IMetadataRecord>();
        var removed = new HashSet<Guid>();
        var response = new DeleteAclsResponse();
        foreach (var wire in filters)
        {
            var filter = AclMessages.FilterOf(wire);
            var result = new DeleteAclsResponse.DeleteAclsFilterResult { ErrorMessage = null };
            if (filter.Problem is { } problem)
            {
                result.ErrorCode = (short)ErrorCode.InvalidRequest;
                result.ErrorMessage = problem;
            }
            else
            {
                foreach (var (id, acl) in image.Acls.Matching(filter))
                {
                    result.MatchingAcls.Add(AclMessages.MatchingAcl(acl));
                    if (removed.Add(id))
                    {
                        records.Add(new RemoveAccessControlEntryRecord { Id = id });
                    }
                }
            }

            response.FilterResults.Add(result);
        }

        return new ControllerPlan<DeleteAclsResponse>(records, response);
    }

    /// <summary>Why Kafka refuses to create the binding (its messages), or null.</summary>
    public static string? Problem(AclEntry acl)
    {
        ArgumentNullException.ThrowIfNull(acl);

        // The broker's checks (AclApis) come first, then the controller's (validateNewAcl).
        if (acl.ResourceType == AclResourceType.Cluster && acl.ResourceName != AclNames.ClusterResource)
        {
            return "The only valid name for the CLUSTER resource is " + AclNames.ClusterResource;
        }

        if (acl.ResourceName.Length == 0)
        {
            return "Invalid empty resource name";
        }

        if (acl.ResourceType is AclResourceType.Unknown or AclResourceType.Any)
        {
            return "Invalid resourceType " + AclNames.Of(acl.ResourceType);
        }

        if (acl.PatternType is not (AclPatternType.Literal or AclPatternType.Prefixed))
        {
            return "Invalid patternType " + AclNames.Of(acl.PatternType);
        }

        if (acl.Operation is AclOperation.Unknown or AclOperation.Any)
        {
            return "Invalid operation " + AclNames.Of(acl.Operation);
        }

        if (acl.Permission is not (AclPermissionType.Allow or AclPermissionType.Deny))
        {
            return "Invalid permissionType " + AclNames.Of(acl.Permission);
        }

        // Kafka parses the principal when it evaluates the ACL; refuse one it could never parse.
        var colon = acl.Principal.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return "Invalid principal: expected a string in format principalType:principalName but got " + acl.Principal;
        }

        return null;
    }
}
