using Tributary.Operator.Api;
using Tributary.Operator.Validation;
using Xunit;

namespace Tributary.Operator.Tests.Validation;

/// <summary>Each invalid KafkaCluster spec produces one clear message.</summary>
public sealed class KafkaClusterValidatorTests
{
    private static string Single(KafkaCluster cluster) => Assert.Single(KafkaClusterValidator.Validate(cluster));

    [Fact]
    public void SampleIsValid() => Assert.Empty(KafkaClusterValidator.Validate(Samples.Cluster()));

    [Fact]
    public void ZeroBrokers() =>
        Assert.Equal("spec.brokers must be at least 1 (got 0)", Single(Samples.Cluster(s => { s.Brokers = 0; s.Config = null; })));

    [Fact]
    public void BrokersNeedNotDivideEvenlyByZones() =>
        Assert.Empty(KafkaClusterValidator.Validate(Samples.Cluster(s => s.Brokers = 4)));

    [Theory]
    [InlineData("node.id")]
    [InlineData("process.roles")]
    [InlineData("listeners")]
    [InlineData("advertised.listeners")]
    [InlineData("listener.security.protocol.map")]
    [InlineData("controller.quorum.voters")]
    [InlineData("controller.listener.names")]
    [InlineData("inter.broker.listener.name")]
    [InlineData("log.dirs")]
    [InlineData("broker.rack")]
    [InlineData("listener.name.plain-9092.sasl.enabled.mechanisms")]
    public void ForbiddenConfigKey(string key) =>
        Assert.Equal($"spec.config.{key} is managed by the operator and cannot be set", Single(Samples.Cluster(s => s.Config![key] = "x")));

    [Fact]
    public void AllowedConfigKeysPass() =>
        Assert.Empty(KafkaClusterValidator.Validate(Samples.Cluster(s => { s.Config!["log.retention.hours"] = "24"; s.Config["num.io.threads"] = "8"; })));

    [Theory]
    [InlineData("100GB")]
    [InlineData("lots")]
    [InlineData("1.2.3Gi")]
    [InlineData("")]
    public void MalformedStorageSize(string size) =>
        Assert.Equal($"spec.storage.size '{size}' is not a quantity such as 100Gi", Single(Samples.Cluster(s => s.Storage.Size = size)));

    [Fact]
    public void ZeroStorageSize() =>
        Assert.Equal("spec.storage.size '0' must be positive", Single(Samples.Cluster(s => s.Storage.Size = "0")));

    [Fact]
    public void RemovingARecordedZone()
    {
        var cluster = Samples.Cluster(s => s.Zones = ["eu-west-1a", "eu-west-1b"]);
        cluster.Status = new KafkaClusterStatus { Zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] };
        Assert.Equal("spec.zones no longer lists 'eu-west-1c', but brokers and their volumes live there; zones cannot be removed", Single(cluster));
    }

    [Fact]
    public void AddingAZoneIsFine()
    {
        var cluster = Samples.Cluster(s => s.Zones!.Add("eu-west-1d"));
        cluster.Status = new KafkaClusterStatus { Zones = [.. Samples.ThreeZones] };
        Assert.Empty(KafkaClusterValidator.Validate(cluster));
    }

    [Fact]
    public void DuplicateZone() =>
        Assert.Equal("spec.zones lists 'eu-west-1a' more than once", Single(Samples.Cluster(s => s.Zones!.Add("eu-west-1a"))));

    [Theory]
    [InlineData(ControllerMode.Dedicated, 2)]
    [InlineData(ControllerMode.Dedicated, 4)]
    [InlineData(ControllerMode.Combined, 2)]
    [InlineData(ControllerMode.Dedicated, 7)]
    public void EvenOrTooManyControllers(ControllerMode mode, int replicas) =>
        Assert.Equal(
            $"spec.controllers.replicas must be 1, 3 or 5 (got {replicas}): a quorum needs an odd number of voters",
            Single(Samples.Cluster(s => s.Controllers = new ControllersSpec { Mode = mode, Replicas = replicas })));

    [Fact]
    public void DuplicateListenerName() =>
        Assert.Equal("spec.listeners name 'plain' is used more than once", Single(Samples.Cluster(s => s.Listeners.Add(new ListenerSpec { Name = "plain", Port = 9093 }))));

    [Fact]
    public void DuplicateListenerPort() =>
        Assert.Equal("spec.listeners port 9092 is used by more than one listener", Single(Samples.Cluster(s => s.Listeners.Add(new ListenerSpec { Name = "other", Port = 9092 }))));

    [Fact]
    public void ReservedListenerPortAndName()
    {
        var errors = KafkaClusterValidator.Validate(Samples.Cluster(s => s.Listeners.Add(new ListenerSpec { Name = "replication", Port = 9091 })));
        Assert.Equal(["spec.listeners name 'replication' is reserved", "spec.listeners 'replication' port 9091 is reserved (9090 controller, 9091 replication, 9404 metrics)"], errors);
    }

    [Fact]
    public void MtlsWithoutTls() =>
        Assert.Equal("spec.listeners 'plain' uses mtls authentication, which requires tls: true",
            Single(Samples.Cluster(s => s.Listeners[0].Authentication = ListenerAuthentication.Mtls)));

    [Fact]
    public void ReplicationFactorAboveBrokerCount() =>
        Assert.Equal("spec.config.default.replication.factor is 3 but the cluster has only 2 broker(s)",
            Single(Samples.Cluster(s => { s.Brokers = 2; s.Config!.Remove("min.insync.replicas"); })));

    [Fact]
    public void MalformedResourceQuantity() =>
        Assert.Equal("spec.resources.requests.cpu 'one' is not a valid quantity",
            Single(Samples.Cluster(s => s.Resources!.Requests!["cpu"] = "one")));

    [Fact]
    public void MalformedReplacementTimeout() =>
        Assert.Equal("spec.brokerReplacement.nodeNotReadyTimeout '5 minutes' is not a positive duration such as 5m or 90s",
            Single(Samples.Cluster(s => s.BrokerReplacement = new BrokerReplacementSpec { NodeNotReadyTimeout = "5 minutes" })));

    [Fact]
    public void ClusterNameTooLong()
    {
        var cluster = Samples.Cluster();
        cluster.Metadata.Name = new string('a', 31);
        Assert.Contains("at most 30", Single(cluster), StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        var errors = KafkaClusterValidator.Validate(Samples.Cluster(s =>
        {
            s.Brokers = 0;
            s.Storage.Size = "big";
            s.Config!["node.id"] = "7";
        }));
        Assert.Equal(3, errors.Count);
    }
}
