namespace Tributary.Client.Admin;

/// <summary>One ACL: a resource pattern and an access control entry.</summary>
public sealed record AclBinding(ResourcePattern Pattern, AccessControlEntry Entry)
{
    public bool IsConcrete => Pattern.IsConcrete && Entry.IsConcrete;

    /// <summary>A filter matching exactly this binding.</summary>
    public AclBindingFilter ToFilter() => new(Pattern.ToFilter(), Entry.ToFilter());
}
