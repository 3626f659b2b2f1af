using Tributary.Broker.Config;
using Tributary.Broker.Tests.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Security;

public sealed class AuthorizerConfigTests
{
    private static BrokerConfig Parse(params (string Key, string Value)[] extra) =>
        BrokerConfig.Parse(MetadataStack.Props("/tmp/unused-acl-config", extra), new Dictionary<string, string>());

    [Fact]
    public void No_authorizer_by_default()
    {
        var config = Parse();
        Assert.Equal("", config.AuthorizerClassName);
        Assert.False(config.AllowEveryoneIfNoAclFound);
        Assert.Empty(config.SuperUsers);
    }

    [Theory]
    [InlineData("org.apache.kafka.metadata.authorizer.StandardAuthorizer")]
    [InlineData("kafka.security.authorizer.AclAuthorizer")]
    public void Kafkas_acl_authorizers_are_accepted_with_their_settings(string className)
    {
        var config = Parse(("authorizer.class.name", className), ("allow.everyone.if.no.acl.found", "true"), ("super.users", "User:admin; User:ops;"));
        Assert.Equal(className, config.AuthorizerClassName);
        Assert.True(config.AllowEveryoneIfNoAclFound);
        Assert.Equal(["User:admin", "User:ops"], config.SuperUsers);
    }

    [Fact]
    public void Another_authorizer_refuses_to_start()
    {
        var e = Assert.Throws<ConfigException>(() => Parse(("authorizer.class.name", "com.example.OpaAuthorizer")));
        Assert.Equal("authorizer.class.name", e.Key);
        Assert.Contains("StandardAuthorizer", e.Message, StringComparison.Ordinal);
    }
}
