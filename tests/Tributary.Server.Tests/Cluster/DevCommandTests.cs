using Tributary.Broker.Config;

namespace Tributary.Server.Tests.Cluster;

/// <summary>`tributary dev`: argument validation and the per-node configuration it writes.</summary>
public sealed class DevCommandTests
{
    private static DevOptions Parse(params string[] args) =>
        DevOptions.Parse(CommandLine.Parse(["dev", .. args.Contains("--data") ? args : [.. args, "--data", "/tmp/dev"]], DevOptions.ValueOptions, DevOptions.FlagOptions));

    [Fact]
    public void ParsesTheDocumentedOptions()
    {
        var options = Parse("--brokers", "5", "--zones", "a,b,c", "--data", "/tmp/x", "--controllers", "3", "--base-port", "20000");

        Assert.Equal((5, 3, 20000, "/tmp/x"), (options.Brokers, options.Controllers, options.BasePort, options.DataDir));
        Assert.Equal(["a", "b", "c"], options.Zones);
        Assert.False(options.ConfigOnly);
    }

    [Fact]
    public void ControllersDefaultToThreeOrFewer()
    {
        Assert.Equal(1, Parse("--brokers", "1").Controllers);
        Assert.Equal(2, Parse("--brokers", "2").Controllers);
        Assert.Equal(3, Parse("--brokers", "7").Controllers);
        Assert.Empty(Parse().Zones);
        Assert.Equal(Path.GetFullPath("rel/dir"), Parse("--data", "rel/dir").DataDir);
    }

    [Theory]
    [InlineData("--brokers", "0")]
    [InlineData("--brokers", "x")]
    [InlineData("--brokers", "-1")]
    [InlineData("--brokers", "33")]
    [InlineData("--zones", "a,,b")]
    [InlineData("--zones", "a,a")]
    [InlineData("--zones", "a b")]
    [InlineData("--base-port", "80")]
    [InlineData("--base-port", "65400")]
    [InlineData("--data", " ")]
    [InlineData("--dedicated-controllers", "0")]
    [InlineData("--dedicated-controllers", "x")]
    [InlineData("--dedicated-controllers", "10")]
    public void RejectsBadValues(string option, string value) =>
        Assert.Throws<UsageException>(() => Parse(option, value));

    [Fact]
    public void RequiresADataDirectory() =>
        Assert.Contains("--data", Assert.Throws<UsageException>(() =>
            DevOptions.Parse(CommandLine.Parse(["dev", "--brokers", "3"], DevOptions.ValueOptions, DevOptions.FlagOptions))).Message, StringComparison.Ordinal);

    [Fact]
    public void RejectsMoreControllersThanBrokers() =>
        Assert.Contains("--controllers", Assert.Throws<UsageException>(() => Parse("--brokers", "2", "--controllers", "3")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task BadArgumentsExitWithCodeTwoAndAClearMessage()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new CommandIO(output, error, new Dictionary<string, string>());

        var code = await Program.RunAsync(["dev", "--brokers", "zero"], io, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--brokers must be a whole number", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void LaysOutNodesRacksRolesAndPorts()
    {
        var layout = DevClusterLayout.Create(Parse("--brokers", "5", "--zones", "a,b,c", "--base-port", "30000", "--data", "/d"), "cid");

        Assert.Equal("127.0.0.1:30000,127.0.0.1:30001,127.0.0.1:30002,127.0.0.1:30003,127.0.0.1:30004", layout.BootstrapServers);
        Assert.Equal([1, 2, 3, 4, 5], layout.Nodes.Select(n => n.Id));
        Assert.Equal(["a", "b", "c", "a", "b"], layout.Nodes.Select(n => n.Rack));
        Assert.Equal([true, true, true, false, false], layout.Nodes.Select(n => n.IsController));
        Assert.Equal([30100, 30101, 30102, null, null], layout.Nodes.Select(n => n.ControllerPort));
        Assert.Equal([30200, 30201, 30202, 30203, 30204], layout.Nodes.Select(n => n.MetricsPort));
        Assert.Equal("1@127.0.0.1:30100,2@127.0.0.1:30101,3@127.0.0.1:30102", layout.QuorumVoters);
        Assert.Equal(Path.Combine("/d", "node-4"), layout.Nodes[3].Directory);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 2)]
    [InlineData(3, 3, 2)]
    [InlineData(6, 3, 2)]
    public void EveryNodesConfigIsValidAndSizedToTheCluster(int brokers, int rf, int minIsr)
    {
        var layout = DevClusterLayout.Create(Parse("--brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--zones", "a,b,c", "--data", "/d"), "AbCdEfGhIjKlMnOpQrStUv");

        foreach (var node in layout.Nodes)
        {
            var props = layout.Properties(node).ToDictionary(kv => kv.Key, kv => kv.Value);
            var config = BrokerConfig.Parse(props, new Dictionary<string, string>());

            Assert.Empty(config.UnknownKeys);
            Assert.Equal(node.Id, config.NodeId);
            Assert.Equal(node.IsController, config.IsController);
            Assert.True(config.IsBroker);
            Assert.Equal(node.Rack, config.Rack);
            Assert.Equal("AbCdEfGhIjKlMnOpQrStUv", config.ClusterId);
            Assert.Equal(Math.Min(3, brokers), config.QuorumVoters.Count);
            Assert.Equal((short)rf, config.DefaultReplicationFactor);
            Assert.Equal((short)rf, config.OffsetsTopicReplicationFactor);
            Assert.Equal(minIsr, config.MinInsyncReplicas);
            Assert.Equal($"PLAINTEXT://127.0.0.1:{node.Port}", Assert.Single(config.AdvertisedListeners).ToString());
            Assert.Equal(node.IsController ? 2 : 1, config.Listeners.Count);
            Assert.Equal([node.LogDirs], config.LogDirs);
            Assert.Equal(node.MetricsPort, config.MetricsListener!.Port);
        }
    }

    [Fact]
    public void OverridesAreRepeatableAndKeepTheirOrder()
    {
        var options = Parse("--override", "num.partitions=4", "--override=log.retention.ms=1000", "--override", "message.max.bytes= 2000");

        Assert.Equal(
            [new("num.partitions", "4"), new("log.retention.ms", "1000"), new KeyValuePair<string, string>("message.max.bytes", " 2000")],
            options.Overrides);
        Assert.Empty(Parse().Overrides);
    }

    [Theory]
    [InlineData("num.partitions")]
    [InlineData("=4")]
    [InlineData("num partitions=4")]
    [InlineData("a:b=1")]
    [InlineData("x=1\n2")]
    [InlineData("x=1\\2")]
    [InlineData("node.id=7")]
    [InlineData("listeners=PLAINTEXT://0.0.0.0:9092")]
    [InlineData("log.dirs=/tmp/shared")]
    [InlineData("broker.rack=z")]
    public void RejectsOverridesThatAreMalformedOrBreakTheLayout(string value) =>
        Assert.Contains("--override", Assert.Throws<UsageException>(() => Parse("--override", value)).Message, StringComparison.Ordinal);

    [Fact]
    public void RejectsTheSameOverrideTwice() =>
        Assert.Contains("twice", Assert.Throws<UsageException>(() => Parse("--override", "num.partitions=4", "--override", "num.partitions=5")).Message, StringComparison.Ordinal);

    [Fact]
    public void OverridesReplaceDefaultsInPlaceAndAppendNewKeysOnEveryNode()
    {
        var layout = DevClusterLayout.Create(
            Parse("--brokers", "3", "--zones", "a,b,c", "--override", "num.partitions=4", "--override", "default.replication.factor=2", "--override", "auto.create.topics.enable=false"),
            "AbCdEfGhIjKlMnOpQrStUv");
        var defaults = DevClusterLayout.Create(Parse("--brokers", "3", "--zones", "a,b,c"), "AbCdEfGhIjKlMnOpQrStUv");

        foreach (var node in layout.Nodes)
        {
            var props = layout.Properties(node);
            var keys = props.Select(kv => kv.Key).ToList();
            Assert.Equal(keys.Distinct().Count(), keys.Count);
            // Defaults keep their position; only the new key is added, at the end.
            Assert.Equal([.. defaults.Properties(defaults.Nodes[node.Id - 1]).Select(kv => kv.Key), "auto.create.topics.enable"], keys);

            var config = BrokerConfig.Parse(props.ToDictionary(kv => kv.Key, kv => kv.Value), new Dictionary<string, string>());
            Assert.Equal(4, config.NumPartitions);
            Assert.Equal((short)2, config.DefaultReplicationFactor);
            Assert.False(config.AutoCreateTopicsEnable);
            Assert.Equal(2, config.MinInsyncReplicas);
            Assert.Equal(node.Id, config.NodeId);
        }
    }

    [Fact]
    public void DedicatedControllerCountIsHonoured()
    {
        var layout = DevClusterLayout.Create(Parse("--brokers", "5", "--controllers", "1"), "cid");

        Assert.Equal([true, false, false, false, false], layout.Nodes.Select(n => n.IsController));
        Assert.Single(layout.QuorumVoters.Split(','));
    }

    [Fact]
    public void ParsesDedicatedControllers()
    {
        var options = Parse("--brokers", "3", "--dedicated-controllers", "3");

        Assert.Equal((3, 0, 3, 6), (options.Brokers, options.Controllers, options.DedicatedControllers, options.TotalNodes));
        Assert.Equal(0, Parse("--brokers", "3").DedicatedControllers);
        Assert.Equal(3, Parse("--brokers", "3").TotalNodes);
    }

    [Theory]
    [InlineData("--controllers", "1", "--dedicated-controllers", "3")]
    [InlineData("--dedicated-controllers", "3", "--controllers", "3")]
    public void ControllersAndDedicatedControllersAreMutuallyExclusive(string first, string firstValue, string second, string secondValue)
    {
        var message = Assert.Throws<UsageException>(() => Parse("--brokers", "3", first, firstValue, second, secondValue)).Message;

        Assert.Contains("--controllers", message, StringComparison.Ordinal);
        Assert.Contains("--dedicated-controllers", message, StringComparison.Ordinal);
        Assert.Contains("mutually exclusive", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MixingControllerOptionsExitsWithCodeTwoBeforeWritingAnything()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tributary-dev-mixed-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new CommandIO(output, error, new Dictionary<string, string>());

        var code = await Program.RunAsync(["dev", "--data", dir, "--brokers", "3", "--controllers", "3", "--dedicated-controllers", "3", "--config-only"], io, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("mutually exclusive", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void DedicatedControllersCountTowardsThePortLayout()
    {
        // 32 brokers fit below 65535 from this base; 9 more nodes' metrics ports do not.
        Assert.Equal(32, Parse("--brokers", "32", "--base-port", "65300").Brokers);
        Assert.Contains("metrics", Assert.Throws<UsageException>(() => Parse("--brokers", "32", "--dedicated-controllers", "9", "--base-port", "65300")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LaysOutDedicatedControllersAfterTheBrokers()
    {
        var layout = DevClusterLayout.Create(Parse("--brokers", "3", "--zones", "a,b,c", "--dedicated-controllers", "3", "--base-port", "30000", "--data", "/d"), "cid");

        Assert.Equal("127.0.0.1:30000,127.0.0.1:30001,127.0.0.1:30002", layout.BootstrapServers);
        Assert.Equal([1, 2, 3, 4, 5, 6], layout.Nodes.Select(n => n.Id));
        Assert.Equal(["broker", "broker", "broker", "controller", "controller", "controller"], layout.Nodes.Select(n => n.Roles));
        Assert.Equal([true, true, true, false, false, false], layout.Nodes.Select(n => n.IsBroker));
        Assert.Equal(["a", "b", "c", null, null, null], layout.Nodes.Select(n => n.Rack));
        Assert.Equal([30000, 30001, 30002, null, null, null], layout.Nodes.Select(n => n.Port));
        Assert.Equal([null, null, null, 30103, 30104, 30105], layout.Nodes.Select(n => n.ControllerPort));
        Assert.Equal([30000, 30001, 30002, 30103, 30104, 30105], layout.Nodes.Select(n => n.ListenPort));
        Assert.Equal([30200, 30201, 30202, 30203, 30204, 30205], layout.Nodes.Select(n => n.MetricsPort));
        Assert.Equal("4@127.0.0.1:30103,5@127.0.0.1:30104,6@127.0.0.1:30105", layout.QuorumVoters);
        Assert.Equal(Path.Combine("/d", "node-6"), layout.Nodes[5].Directory);
        Assert.Equal((short)3, layout.ReplicationFactor);
        Assert.Equal(2, layout.MinInsyncReplicas);
        Assert.StartsWith("controllers: 4,5,6 (dedicated", layout.QuorumSummary, StringComparison.Ordinal);
        Assert.Contains("brokers: 1,2,3", layout.QuorumSummary, StringComparison.Ordinal);
        Assert.StartsWith("controllers: 1,2,3 (combined", DevClusterLayout.Create(Parse("--brokers", "4"), "cid").QuorumSummary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(3, 3)]
    [InlineData(5, 5)]
    public void DedicatedControllerConfigsAreValidAndSplitTheRoles(int brokers, int controllers)
    {
        var layout = DevClusterLayout.Create(Parse("--brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dedicated-controllers", controllers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--zones", "a,b,c", "--data", "/d"), "AbCdEfGhIjKlMnOpQrStUv");
        var voterIds = Enumerable.Range(brokers + 1, controllers).ToList();

        Assert.Equal(brokers + controllers, layout.Nodes.Count);
        foreach (var node in layout.Nodes)
        {
            var props = layout.Properties(node).ToDictionary(kv => kv.Key, kv => kv.Value);
            var config = BrokerConfig.Parse(props, new Dictionary<string, string>());

            Assert.Empty(config.UnknownKeys);
            Assert.Equal(node.Id, config.NodeId);
            Assert.Equal(voterIds, config.QuorumVoters.Select(v => v.Id));
            Assert.Equal(node.MetricsPort, config.MetricsListener!.Port);
            Assert.Equal((short)Math.Min(3, brokers), config.DefaultReplicationFactor);
            Assert.False(Tributary.Broker.BrokerNode.IsSingleNode(config));
            var listener = Assert.Single(config.Listeners);
            if (node.Id <= brokers)
            {
                Assert.Equal((true, false), (config.IsBroker, config.IsController));
                Assert.Equal("broker", props["process.roles"]);
                Assert.Equal($"PLAINTEXT://127.0.0.1:{node.Port}", listener.ToString());
                Assert.Equal($"PLAINTEXT://127.0.0.1:{node.Port}", Assert.Single(config.AdvertisedListeners).ToString());
                Assert.NotNull(config.Rack);
            }
            else
            {
                Assert.Equal((false, true), (config.IsBroker, config.IsController));
                Assert.Equal("controller", props["process.roles"]);
                Assert.Equal($"CONTROLLER://127.0.0.1:{node.ControllerPort}", listener.ToString());
                Assert.DoesNotContain("advertised.listeners", props.Keys);
                Assert.DoesNotContain("inter.broker.listener.name", props.Keys);
                Assert.DoesNotContain(config.AdvertisedListeners, a => a.Name == "PLAINTEXT");
                Assert.Null(config.Rack);
            }
        }
    }

    [Fact]
    public async Task ConfigOnlyWithDedicatedControllersListsOnlyBrokersForClients()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-dev-dedicated-").FullName;
        try
        {
            var output = new StringWriter();
            var io = new CommandIO(output, new StringWriter(), new Dictionary<string, string>());

            var code = await Program.RunAsync(["dev", "--brokers", "2", "--dedicated-controllers", "3", "--data", dir, "--base-port", "31200", "--config-only"], io, CancellationToken.None);

            Assert.Equal(ExitCodes.Ok, code);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("bootstrap.servers=127.0.0.1:31200,127.0.0.1:31201", lines[0]);
            Assert.Equal(6, lines.Length);
            Assert.StartsWith("node 2: roles=broker port=31201 controller.port=- ", lines[2], StringComparison.Ordinal);
            Assert.StartsWith("node 3: roles=controller port=- controller.port=31302 metrics.port=31402 rack=- ", lines[3], StringComparison.Ordinal);
            for (var id = 1; id <= 5; id++)
            {
                var props = PropertiesParser.Parse(File.ReadAllText(Path.Combine(dir, $"node-{id}", "server.properties")));
                Assert.Equal(id <= 2 ? "broker" : "controller", props["process.roles"]);
                Assert.Equal("3@127.0.0.1:31302,4@127.0.0.1:31303,5@127.0.0.1:31304", props["controller.quorum.voters"]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheClusterIdIsGeneratedOnceAndReused()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-dev-id-").FullName;
        try
        {
            var first = DevClusterLayout.LoadOrCreateClusterId(dir);
            Assert.Equal(22, first.Length);
            Assert.Equal(first, DevClusterLayout.LoadOrCreateClusterId(dir));

            File.WriteAllText(Path.Combine(dir, "cluster.id"), "not valid!");
            Assert.Throws<InvalidDataException>(() => DevClusterLayout.LoadOrCreateClusterId(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ConfigOnlyWritesOverridesIntoEveryNodesServerProperties()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-dev-ovr-").FullName;
        try
        {
            var io = new CommandIO(new StringWriter(), new StringWriter(), new Dictionary<string, string>());

            var code = await Program.RunAsync(
                ["dev", "--brokers", "2", "--data", dir, "--base-port", "31500", "--override", "num.partitions=4", "--override=log.segment.bytes=1048576", "--config-only"],
                io, CancellationToken.None);

            Assert.Equal(ExitCodes.Ok, code);
            for (var id = 1; id <= 2; id++)
            {
                var props = PropertiesParser.Parse(File.ReadAllText(Path.Combine(dir, $"node-{id}", "server.properties")));
                Assert.Equal("4", props["num.partitions"]);
                Assert.Equal("1048576", props["log.segment.bytes"]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ALayoutOverrideExitsWithCodeTwoBeforeWritingAnything()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tributary-dev-ovr-bad-" + Guid.NewGuid().ToString("N"));
        var error = new StringWriter();
        var io = new CommandIO(new StringWriter(), error, new Dictionary<string, string>());

        var code = await Program.RunAsync(["dev", "--data", dir, "--override", "node.id=9", "--config-only"], io, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("node.id", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task ConfigOnlyWritesEveryNodesPropertiesAndPrintsTheBootstrapLineFirst()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-dev-cfg-").FullName;
        try
        {
            var output = new StringWriter();
            var io = new CommandIO(output, new StringWriter(), new Dictionary<string, string>());

            var code = await Program.RunAsync(["dev", "--brokers", "3", "--zones", "a,b,c", "--data", dir, "--base-port", "31000", "--config-only"], io, CancellationToken.None);

            Assert.Equal(ExitCodes.Ok, code);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("bootstrap.servers=127.0.0.1:31000,127.0.0.1:31001,127.0.0.1:31002", lines[0]);
            for (var id = 1; id <= 3; id++)
            {
                var path = Path.Combine(dir, $"node-{id}", "server.properties");
                Assert.Contains($"config={path}", lines[id], StringComparison.Ordinal);
                var props = PropertiesParser.Parse(File.ReadAllText(path));
                Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), props["node.id"]);
                Assert.Equal(File.ReadAllText(Path.Combine(dir, "cluster.id")).Trim(), props["cluster.id"]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
