using System.Net;
using System.Net.Sockets;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// How request handlers ask "may this request do that?" (Kafka's AuthHelper): the configured
/// <see cref="Authorizer"/> applied to the connection's principal and address and the ACLs of the
/// current metadata image. Without an authorizer (<see cref="Disabled"/>) every check is one field
/// test that answers yes, so unsecured brokers pay nothing on the hot path.
/// </summary>
public sealed class RequestAuthorizer
{
    private readonly Authorizer? _authorizer;
    private readonly IMetadataView? _metadata;

    public RequestAuthorizer(Authorizer authorizer, IMetadataView metadata)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(metadata);
        _authorizer = authorizer;
        _metadata = metadata;
    }

    private RequestAuthorizer()
    {
    }

    /// <summary>No authorizer configured: everything is allowed and the ACL APIs answer SECURITY_DISABLED.</summary>
    public static RequestAuthorizer Disabled { get; } = new();

    /// <summary>Whether an authorizer is configured.</summary>
    public bool Enabled => _authorizer is not null;

    /// <summary>
    /// The principal of a connection. Listeners are PLAINTEXT (no SASL or mTLS yet), so every client
    /// is User:ANONYMOUS, as in Kafka.
    /// </summary>
    public static string PrincipalOf(in RequestContext context) => AclNames.Anonymous;

    /// <summary>The client's IP address (IPv4-mapped IPv6 addresses as IPv4, as Java reports them).</summary>
    public static IPAddress? HostOf(in RequestContext context)
    {
        if (context.RemoteEndPoint is not IPEndPoint endpoint)
        {
            return null;
        }

        var address = endpoint.Address;
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    public bool Authorize(in RequestContext context, AclOperation operation, AclResourceType type, string name)
    {
        var authorizer = _authorizer;
        if (authorizer is null)
        {
            return true;
        }

        var acls = _metadata!.Current.Acls;
        return authorizer.Authorize(acls, PrincipalOf(context), acls.HasHostRules ? HostOf(context) : null, operation, type, name);
    }

    public bool AuthorizeCluster(in RequestContext context, AclOperation operation) =>
        Authorize(context, operation, AclResourceType.Cluster, AclNames.ClusterResource);

    public bool AuthorizeTopic(in RequestContext context, AclOperation operation, string topic) =>
        Authorize(context, operation, AclResourceType.Topic, topic);

    public bool AuthorizeGroup(in RequestContext context, AclOperation operation, string group) =>
        Authorize(context, operation, AclResourceType.Group, group);

    /// <summary>May the client perform the operation on at least one resource of the type (KIP-679)?</summary>
    public bool AuthorizeByResourceType(in RequestContext context, AclOperation operation, AclResourceType type)
    {
        var authorizer = _authorizer;
        if (authorizer is null)
        {
            return true;
        }

        return authorizer.AuthorizeByResourceType(_metadata!.Current.Acls, PrincipalOf(context), HostOf(context), operation, type);
    }

    /// <summary>The authorized-operations bit field of a resource: every supported operation without an authorizer.</summary>
    public int AuthorizedOperations(in RequestContext context, AclResourceType type, string name)
    {
        var authorizer = _authorizer;
        if (authorizer is null)
        {
            return Authorizer.ToBitField(Authorizer.SupportedOperations(type));
        }

        return authorizer.AuthorizedOperations(_metadata!.Current.Acls, PrincipalOf(context), HostOf(context), type, name);
    }
}
