using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-acls.sh (our wrapper) against a broker with an authorizer, checked with Confluent.Kafka's ACL admin API.</summary>
public sealed class KafkaAclsScriptTests : IClassFixture<AclBrokerFixture>
{
    private readonly AclBrokerFixture _fixture;

    public KafkaAclsScriptTests(AclBrokerFixture fixture) => _fixture = fixture;

    private string Bootstrap => _fixture.Broker.BootstrapServers;

    private async Task<ProcessResult> AclsAsync(params string[] args)
    {
        var result = await KafkaScripts.RunAsync("kafka-acls.sh", ["--bootstrap-server", Bootstrap, .. args]);
        Assert.False(result.TimedOut, result.ToString());
        return result;
    }

    private async Task<List<AclBinding>> AclsOnAsync(string name, ResourcePatternType patternType = ResourcePatternType.Any)
    {
        using var admin = new AdminClientBuilder(RealClients.AdminConfig(Bootstrap)).Build();
        var result = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = Confluent.Kafka.Admin.ResourceType.Any, Name = name, ResourcePatternType = patternType },
            EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        });
        return result.AclBindings;
    }

    [Fact]
    public async Task LibrdkafkasDenyLineAddsListsAndRemoves()
    {
        var topic = Topics.UniqueName("cli-unauth");
        var added = await AclsAsync("--add", "--deny-principal", "User:*", "--operation", "All", "--deny-host", "*", "--topic", topic);
        Assert.True(added.Succeeded, added.ToString());
        var resource = $"ResourcePattern(resourceType=TOPIC, name={topic}, patternType=LITERAL)";
        const string entry = "(principal=User:*, host=*, operation=ALL, permissionType=DENY)";
        Assert.Equal(
            $"Adding ACLs for resource `{resource}`: \n \t{entry} \n\n"
            + $"Current ACLs for resource `{resource}`: \n \t{entry} \n\n",
            added.StandardOutput);

        var binding = Assert.Single(await AclsOnAsync(topic));
        Assert.Equal(Confluent.Kafka.Admin.ResourceType.Topic, binding.Pattern.Type);
        Assert.Equal(ResourcePatternType.Literal, binding.Pattern.ResourcePatternType);
        Assert.Equal("User:*", binding.Entry.Principal);
        Assert.Equal("*", binding.Entry.Host);
        Assert.Equal(AclOperation.All, binding.Entry.Operation);
        Assert.Equal(AclPermissionType.Deny, binding.Entry.PermissionType);

        var listed = await AclsAsync("--list", "--topic", topic);
        Assert.True(listed.Succeeded, listed.ToString());
        Assert.Equal($"Current ACLs for resource `{resource}`: \n \t{entry} \n\n", listed.StandardOutput);

        var removed = await AclsAsync("--remove", "--topic", topic, "--force");
        Assert.True(removed.Succeeded, removed.ToString());
        Assert.Empty(await AclsOnAsync(topic));
    }

    [Fact]
    public async Task ProducerConvenienceOnAPrefixAndPrincipalListing()
    {
        var prefix = "cli-pre-" + Guid.NewGuid().ToString("N")[..8];
        var added = await AclsAsync("--add", "--allow-principal", "User:alice", "--producer", "--topic", prefix, "--resource-pattern-type", "prefixed");
        Assert.True(added.Succeeded, added.ToString());

        var bindings = await AclsOnAsync(prefix, ResourcePatternType.Prefixed);
        Assert.Equal(new[] { AclOperation.Create, AclOperation.Describe, AclOperation.Write }.Order(), bindings.Select(b => b.Entry.Operation).Order());
        Assert.All(bindings, b =>
        {
            Assert.Equal("User:alice", b.Entry.Principal);
            Assert.Equal(AclPermissionType.Allow, b.Entry.PermissionType);
        });

        var byPrincipal = await AclsAsync("--list", "--principal", "User:alice", "--topic", prefix, "--resource-pattern-type", "prefixed");
        Assert.True(byPrincipal.Succeeded, byPrincipal.ToString());
        Assert.StartsWith($"ACLs for principal `User:alice`\nCurrent ACLs for resource `ResourcePattern(resourceType=TOPIC, name={prefix}, patternType=PREFIXED)`: \n", byPrincipal.StandardOutput,
            StringComparison.Ordinal);
        Assert.Equal(3, byPrincipal.StandardOutput.Split("(principal=User:alice").Length - 1);

        // Removing only Write leaves Create and Describe.
        var removed = await AclsAsync("--remove", "--allow-principal", "User:alice", "--operation", "Write", "--topic", prefix, "--resource-pattern-type", "prefixed", "--force");
        Assert.True(removed.Succeeded, removed.ToString());
        Assert.Equal(new[] { AclOperation.Create, AclOperation.Describe }.Order(), (await AclsOnAsync(prefix, ResourcePatternType.Prefixed)).Select(b => b.Entry.Operation).Order());
    }
}
