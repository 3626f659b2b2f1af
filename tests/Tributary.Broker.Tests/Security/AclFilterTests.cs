using Tributary.Broker.Security;
using Tributary.Protocol.Acls;
using Xunit;

namespace Tributary.Broker.Tests.Security;

public sealed class AclFilterTests
{
    private static readonly AclEntry Literal = AuthorizerTests.Topic("orders", "User:a", AclOperation.Read, AclPermissionType.Allow);
    private static readonly AclEntry Prefixed = AuthorizerTests.Topic("ord", "User:a", AclOperation.Write, AclPermissionType.Allow, AclPatternType.Prefixed);
    private static readonly AclEntry Wildcard = AuthorizerTests.Topic("*", "User:b", AclOperation.Read, AclPermissionType.Deny);
    private static readonly AclEntry Other = AuthorizerTests.Topic("payments", "User:a", AclOperation.Read, AclPermissionType.Allow);

    private static AclFilter Filter(string? name, AclPatternType pattern) =>
        new(AclResourceType.Topic, name, pattern, null, null, AclOperation.Any, AclPermissionType.Any);

    [Fact]
    public void Match_finds_every_binding_that_applies_to_the_name()
    {
        var filter = Filter("orders", AclPatternType.Match);
        Assert.True(filter.Matches(Literal));
        Assert.True(filter.Matches(Prefixed));
        Assert.True(filter.Matches(Wildcard));
        Assert.False(filter.Matches(Other));
    }

    [Fact]
    public void Any_and_literal_patterns_match_the_name_exactly()
    {
        Assert.True(Filter("orders", AclPatternType.Any).Matches(Literal));
        Assert.False(Filter("orders", AclPatternType.Any).Matches(Prefixed));
        Assert.False(Filter("orders", AclPatternType.Literal).Matches(Wildcard));
        Assert.True(Filter("ord", AclPatternType.Prefixed).Matches(Prefixed));
        Assert.False(Filter("ord", AclPatternType.Literal).Matches(Prefixed));
        Assert.True(Filter(null, AclPatternType.Prefixed).Matches(Prefixed));
        Assert.False(Filter(null, AclPatternType.Prefixed).Matches(Literal));
    }

    [Fact]
    public void Entry_fields_filter_when_given()
    {
        Assert.True(AclFilter.Any.Matches(Other));
        Assert.False((AclFilter.Any with { Principal = "User:b" }).Matches(Other));
        Assert.True((AclFilter.Any with { Principal = "User:b", Permission = AclPermissionType.Deny }).Matches(Wildcard));
        Assert.False((AclFilter.Any with { Operation = AclOperation.Write }).Matches(Literal));
        Assert.False((AclFilter.Any with { Host = "10.0.0.1" }).Matches(Literal));
        Assert.False((AclFilter.Any with { ResourceType = AclResourceType.Group }).Matches(Literal));
    }

    [Fact]
    public void Unknown_elements_make_the_filter_unusable()
    {
        Assert.Null(AclFilter.Any.Problem);
        Assert.Equal("Unknown patternFilter.", (AclFilter.Any with { PatternType = AclPatternType.Unknown }).Problem);
        Assert.Equal("Unknown entryFilter.", (AclFilter.Any with { Operation = AclOperation.Unknown }).Problem);
    }
}
