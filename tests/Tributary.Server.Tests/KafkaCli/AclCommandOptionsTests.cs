using Tributary.Client.Admin;
using Tributary.Protocol.Acls;
using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-acls command lines turned into ACLs and filters, including librdkafka's own invocations.</summary>
public sealed class AclCommandOptionsTests
{
    private static AclCommandOptions Parse(params string[] argv) =>
        AclCommandOptions.Parse(CliArguments.Parse(["--bootstrap-server", "h:1", .. argv], AclCommandOptions.Options));

    private static ResourcePattern Topic(string name, AclPatternType type = AclPatternType.Literal) => new(AclResourceType.Topic, name, type);

    [Fact]
    public void LibrdkafkasDenyAllLineDeniesEveryoneEverything()
    {
        var options = Parse("--add", "--deny-principal", "User:*", "--operation", "All", "--deny-host", "*", "--topic", "rdkafkatest_0109");

        Assert.Equal(AclAction.Add, options.Action);
        var (resource, entries) = Assert.Single(options.Additions);
        Assert.Equal(Topic("rdkafkatest_0109"), resource);
        Assert.Equal([new AccessControlEntry("User:*", "*", AclOperation.All, AclPermissionType.Deny)], entries);
        Assert.Equal([Topic("rdkafkatest_0109").ToFilter()], options.ListFilters);
    }

    [Fact]
    public void PrincipalsHostsAndOperationsMultiply()
    {
        var options = Parse("--add", "--allow-principal", "User:a", "--allow-principal", "User:b", "--allow-host", "10.0.0.1", "--operation", "Read",
            "--operation", "describe_configs", "--deny-principal", "User:c", "--topic", "t", "--topic", "u", "--resource-pattern-type", "prefixed");

        Assert.Equal([Topic("t", AclPatternType.Prefixed), Topic("u", AclPatternType.Prefixed)], options.Additions.Select(a => a.Key));
        Assert.Equal(options.Additions[0].Value, options.Additions[1].Value);
        Assert.Equal(
        [
            new("User:a", "10.0.0.1", AclOperation.Read, AclPermissionType.Allow),
            new("User:a", "10.0.0.1", AclOperation.DescribeConfigs, AclPermissionType.Allow),
            new("User:b", "10.0.0.1", AclOperation.Read, AclPermissionType.Allow),
            new("User:b", "10.0.0.1", AclOperation.DescribeConfigs, AclPermissionType.Allow),
            new AccessControlEntry("User:c", "*", AclOperation.Read, AclPermissionType.Deny),
            new AccessControlEntry("User:c", "*", AclOperation.DescribeConfigs, AclPermissionType.Deny),
        ], options.Additions[0].Value);
    }

    [Fact]
    public void ProducerAndConsumerConveniences()
    {
        var producer = Parse("--add", "--allow-principal", "User:p", "--producer", "--topic", "t", "--transactional-id", "tx", "--idempotent");
        Assert.Equal(
            [
                (AclResourceType.Topic, new[] { AclOperation.Write, AclOperation.Describe, AclOperation.Create }),
                (AclResourceType.TransactionalId, new[] { AclOperation.Write, AclOperation.Describe }),
                (AclResourceType.Cluster, new[] { AclOperation.IdempotentWrite }),
            ],
            producer.Additions.Select(a => (a.Key.Type, a.Value.Select(e => e.Operation).ToArray())));
        Assert.Equal(ResourcePattern.ClusterName, producer.Additions[2].Key.Name);

        var consumer = Parse("--add", "--allow-principal", "User:c", "--consumer", "--topic", "t", "--group", "g");
        Assert.Equal(
            [(AclResourceType.Topic, new[] { AclOperation.Read, AclOperation.Describe }), (AclResourceType.Group, new[] { AclOperation.Read })],
            consumer.Additions.Select(a => (a.Key.Type, a.Value.Select(e => e.Operation).ToArray())));
        Assert.All(consumer.Additions.SelectMany(a => a.Value), e => Assert.Equal(AclPermissionType.Allow, e.PermissionType));
    }

    [Fact]
    public void RemoveWithoutPrincipalsRemovesEverythingOnTheResource()
    {
        var options = Parse("--remove", "--topic", "t", "--resource-pattern-type", "match", "--force");
        var (filter, entries) = Assert.Single(options.Removals);
        Assert.Equal(new ResourcePatternFilter(AclResourceType.Topic, "t", AclPatternType.Match), filter);
        Assert.Empty(entries);
        Assert.True(options.Force);

        var specific = Parse("--remove", "--allow-principal", "User:a", "--operation", "Alter", "--cluster");
        var (cluster, removed) = Assert.Single(specific.Removals);
        Assert.Equal(new ResourcePatternFilter(AclResourceType.Cluster, "kafka-cluster", AclPatternType.Literal), cluster);
        Assert.Equal([new AccessControlEntry("User:a", "*", AclOperation.Alter, AclPermissionType.Allow)], removed);
        Assert.Throws<CliUsageException>(() => Parse("--remove", "--allow-principal", "User:a", "--operation", "Write", "--cluster"));
        Assert.False(specific.Force);
    }

    [Fact]
    public void ListWithoutResourcesListsEverything()
    {
        var options = Parse("--list", "--principal", "User:a");
        Assert.Equal([ResourcePatternFilter.Any], options.ListFilters);
        Assert.Equal(["User:a"], options.ListPrincipals);
        Assert.Equal([new ResourcePatternFilter(AclResourceType.Group, "g", AclPatternType.Any)], Parse("--list", "--group", "g", "--resource-pattern-type", "any").ListFilters);
    }

    [Theory]
    [InlineData("Command must include exactly one action", "--add", "--list")]
    [InlineData("You must provide at least one resource", "--add", "--allow-principal", "User:a")]
    [InlineData("You must provide at least one resource", "--remove", "--force")]
    [InlineData("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.", "--add", "--topic", "t")]
    [InlineData("A '--resource-pattern-type' value of 'match' is not valid when adding acls.", "--add", "--allow-principal", "User:a", "--topic", "t", "--resource-pattern-type", "match")]
    [InlineData("Invalid --resource-pattern-type 'regex'", "--list", "--resource-pattern-type", "regex")]
    [InlineData("ResourceType GROUP only supports operations READ,DESCRIBE,DELETE,ALL", "--add", "--allow-principal", "User:a", "--group", "g", "--operation", "Write")]
    [InlineData("Unknown operation name: Fly", "--add", "--allow-principal", "User:a", "--topic", "t", "--operation", "Fly")]
    [InlineData("expected a string in format principalType:principalName but got alice", "--add", "--allow-principal", "alice", "--topic", "t")]
    [InlineData("With --producer you must specify a --topic", "--add", "--allow-principal", "User:a", "--producer", "--group", "g")]
    [InlineData("With --consumer you must specify a --topic and a --group", "--add", "--allow-principal", "User:a", "--consumer", "--topic", "t")]
    [InlineData("The --idempotent option is only available if --producer is set.", "--add", "--allow-principal", "User:a", "--topic", "t", "--idempotent")]
    [InlineData("Option \"[operation]\" can't be used with option \"[producer]\"", "--add", "--allow-principal", "User:a", "--topic", "t", "--producer", "--operation", "Read")]
    [InlineData("Option \"[principal]\" can't be used with option \"[add]\"", "--add", "--allow-principal", "User:a", "--topic", "t", "--principal", "User:b")]
    [InlineData("Option \"[allow-principal]\" can't be used with option \"[list]\"", "--list", "--allow-principal", "User:a")]
    [InlineData("--deny-host can only be used together with --deny-principal", "--add", "--allow-principal", "User:a", "--deny-host", "h", "--topic", "t")]
    public void InvalidCommandLinesAreRefused(string reason, params string[] argv) =>
        Assert.Contains(reason, Assert.Throws<CliUsageException>(() => Parse(argv)).Message, StringComparison.Ordinal);

    [Fact]
    public void MissingBootstrapServerIsRefused() =>
        Assert.Contains("bootstrap-server", Assert.Throws<CliUsageException>(() => AclCommandOptions.Parse(CliArguments.Parse(["--list"], AclCommandOptions.Options))).Message,
            StringComparison.Ordinal);
}
