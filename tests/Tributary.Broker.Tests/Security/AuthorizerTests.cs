using System.Collections.Immutable;
using System.Net;
using Tributary.Broker.Security;
using Tributary.Protocol.Acls;
using Xunit;

namespace Tributary.Broker.Tests.Security;

public sealed class AuthorizerTests
{
    private const string Alice = "User:alice";
    private const string Bob = "User:bob";
    private static readonly IPAddress Client = IPAddress.Parse("10.0.0.7");

    internal static AclImage Acls(params AclEntry[] acls) =>
        new(acls.Select((a, i) => KeyValuePair.Create(new Guid(i + 1, 0, 0, new byte[8]), a)).ToImmutableDictionary());

    internal static AclEntry Topic(string name, string principal, AclOperation op, AclPermissionType permission,
        AclPatternType pattern = AclPatternType.Literal, string host = "*") =>
        new(AclResourceType.Topic, name, pattern, principal, host, op, permission);

    private static bool Allowed(Authorizer authorizer, AclImage acls, string principal, AclOperation op, string topic, IPAddress? host = null) =>
        authorizer.Authorize(acls, principal, host ?? Client, op, AclResourceType.Topic, topic);

    [Fact]
    public void Without_acls_the_default_decides()
    {
        Assert.False(Allowed(new Authorizer([], false), AclImage.Empty, Alice, AclOperation.Read, "t"));
        Assert.True(Allowed(new Authorizer([], true), AclImage.Empty, Alice, AclOperation.Read, "t"));
    }

    [Fact]
    public void A_resource_with_acls_is_closed_to_everyone_they_do_not_allow_even_when_everyone_is_allowed_by_default()
    {
        var acls = Acls(Topic("t", Alice, AclOperation.Read, AclPermissionType.Allow));
        var open = new Authorizer([], allowEveryoneIfNoAclFound: true);
        Assert.True(Allowed(open, acls, Alice, AclOperation.Read, "t"));
        Assert.False(Allowed(open, acls, Bob, AclOperation.Read, "t"));
        Assert.False(Allowed(open, acls, Alice, AclOperation.Write, "t"));
        Assert.True(Allowed(open, acls, Bob, AclOperation.Read, "other"));
    }

    [Fact]
    public void Deny_wins_over_allow_and_super_users_bypass_both()
    {
        var acls = Acls(
            Topic("t", Alice, AclOperation.All, AclPermissionType.Allow),
            Topic("t", AclNames.WildcardPrincipal, AclOperation.Write, AclPermissionType.Deny));
        var authorizer = new Authorizer(["User:admin"], false);
        Assert.False(Allowed(authorizer, acls, Alice, AclOperation.Write, "t"));
        Assert.True(Allowed(authorizer, acls, Alice, AclOperation.Read, "t"));
        Assert.True(Allowed(authorizer, acls, "User:admin", AclOperation.Write, "t"));
    }

    [Fact]
    public void Wildcard_and_prefixed_bindings_apply_to_the_names_they_cover()
    {
        var acls = Acls(
            Topic(AclNames.Wildcard, Alice, AclOperation.Read, AclPermissionType.Allow),
            Topic("orders-", Bob, AclOperation.Write, AclPermissionType.Allow, AclPatternType.Prefixed),
            Topic("orders-secret", Bob, AclOperation.Write, AclPermissionType.Deny, AclPatternType.Prefixed));
        var authorizer = new Authorizer([], false);
        Assert.True(Allowed(authorizer, acls, Alice, AclOperation.Read, "anything"));
        Assert.True(Allowed(authorizer, acls, Bob, AclOperation.Write, "orders-eu"));
        Assert.False(Allowed(authorizer, acls, Bob, AclOperation.Write, "orders-secret-1"));
        Assert.False(Allowed(authorizer, acls, Bob, AclOperation.Write, "order"));
        Assert.False(Allowed(authorizer, acls, Bob, AclOperation.Write, "payments"));
    }

    [Fact]
    public void A_literal_binding_does_not_act_as_a_prefix()
    {
        var acls = Acls(Topic("abc", Alice, AclOperation.Read, AclPermissionType.Allow));
        var authorizer = new Authorizer([], true);
        Assert.True(Allowed(authorizer, acls, Bob, AclOperation.Read, "abcd"));
        Assert.False(Allowed(authorizer, acls, Bob, AclOperation.Read, "abc"));
    }

    [Fact]
    public void Allow_implies_describe_but_deny_does_not()
    {
        var authorizer = new Authorizer([], false);
        foreach (var op in new[] { AclOperation.Read, AclOperation.Write, AclOperation.Delete, AclOperation.Alter })
        {
            Assert.True(Allowed(authorizer, Acls(Topic("t", Alice, op, AclPermissionType.Allow)), Alice, AclOperation.Describe, "t"));
        }

        Assert.False(Allowed(authorizer, Acls(Topic("t", Alice, AclOperation.Create, AclPermissionType.Allow)), Alice, AclOperation.Describe, "t"));
        Assert.True(Allowed(authorizer, Acls(Topic("t", Alice, AclOperation.AlterConfigs, AclPermissionType.Allow)), Alice, AclOperation.DescribeConfigs, "t"));

        // librdkafka's 0119: allow Describe and deny Read for everyone.
        var acls = Acls(
            Topic("t", AclNames.WildcardPrincipal, AclOperation.Describe, AclPermissionType.Allow),
            Topic("t", AclNames.WildcardPrincipal, AclOperation.Read, AclPermissionType.Deny));
        Assert.True(Allowed(authorizer, acls, AclNames.Anonymous, AclOperation.Describe, "t"));
        Assert.False(Allowed(authorizer, acls, AclNames.Anonymous, AclOperation.Read, "t"));
    }

    [Fact]
    public void Deny_all_for_everyone_closes_the_topic_whatever_the_default()
    {
        var acls = Acls(Topic("t", AclNames.WildcardPrincipal, AclOperation.All, AclPermissionType.Deny));
        var authorizer = new Authorizer([], true);
        Assert.False(Allowed(authorizer, acls, AclNames.Anonymous, AclOperation.Describe, "t"));
        Assert.False(Allowed(authorizer, acls, AclNames.Anonymous, AclOperation.Write, "t"));
        Assert.True(Allowed(authorizer, acls, AclNames.Anonymous, AclOperation.Write, "t2"));
    }

    [Fact]
    public void A_host_binding_applies_only_to_that_address()
    {
        var acls = Acls(Topic("t", Alice, AclOperation.Read, AclPermissionType.Allow, host: "10.0.0.7"));
        Assert.True(acls.HasHostRules);
        var authorizer = new Authorizer([], false);
        Assert.True(Allowed(authorizer, acls, Alice, AclOperation.Read, "t", Client));
        Assert.False(Allowed(authorizer, acls, Alice, AclOperation.Read, "t", IPAddress.Parse("10.0.0.8")));
    }

    [Fact]
    public void Authorize_by_resource_type_follows_kip_679()
    {
        var closed = new Authorizer([], false);
        Assert.False(closed.AuthorizeByResourceType(AclImage.Empty, Alice, Client, AclOperation.Write, AclResourceType.Topic));
        Assert.True(new Authorizer([], true).AuthorizeByResourceType(AclImage.Empty, Alice, Client, AclOperation.Write, AclResourceType.Topic));

        var oneTopic = Acls(Topic("a", Alice, AclOperation.Write, AclPermissionType.Allow));
        Assert.True(closed.AuthorizeByResourceType(oneTopic, Alice, Client, AclOperation.Write, AclResourceType.Topic));
        Assert.False(closed.AuthorizeByResourceType(oneTopic, Bob, Client, AclOperation.Write, AclResourceType.Topic));

        var shadowed = Acls(
            Topic("abc", Alice, AclOperation.Write, AclPermissionType.Allow),
            Topic("ab", Alice, AclOperation.Write, AclPermissionType.Deny, AclPatternType.Prefixed));
        Assert.False(closed.AuthorizeByResourceType(shadowed, Alice, Client, AclOperation.Write, AclResourceType.Topic));

        var wildcardDeny = Acls(
            Topic("abc", Alice, AclOperation.Write, AclPermissionType.Allow),
            Topic(AclNames.Wildcard, Alice, AclOperation.Write, AclPermissionType.Deny));
        Assert.False(closed.AuthorizeByResourceType(wildcardDeny, Alice, Client, AclOperation.Write, AclResourceType.Topic));
    }

    [Fact]
    public void Authorized_operations_cover_the_supported_operations_of_the_type()
    {
        var acls = Acls(Topic("t", Alice, AclOperation.Read, AclPermissionType.Allow));
        var field = new Authorizer([], false).AuthorizedOperations(acls, Alice, Client, AclResourceType.Topic, "t");
        Assert.Equal((1 << (int)AclOperation.Read) | (1 << (int)AclOperation.Describe), field);
        Assert.Equal((1 << 3) | (1 << 6) | (1 << 8), Authorizer.ToBitField(Authorizer.SupportedOperations(AclResourceType.Group)));
    }
}
