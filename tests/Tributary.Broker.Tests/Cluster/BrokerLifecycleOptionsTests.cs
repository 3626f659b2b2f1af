using System.Net;
using Tributary.Broker.Cluster;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Cluster;

public sealed class BrokerLifecycleOptionsTests
{
    [Fact]
    public void RegistersTheBrokerListenersRackDirectoryIdsAndHeartbeatInterval()
    {
        var dir = Directory.CreateTempSubdirectory("lifecycle-options-").FullName;
        try
        {
            var directoryId = Guid.NewGuid();
            new MetaProperties("cluster-1", 2, KafkaUuid.Format(directoryId)).Write(dir);
            var config = BrokerConfig.Parse(new Dictionary<string, string>
            {
                ["node.id"] = "2",
                ["process.roles"] = "broker,controller",
                ["listeners"] = "PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:19093",
                ["controller.listener.names"] = "CONTROLLER",
                ["controller.quorum.voters"] = "2@127.0.0.1:19093",
                ["broker.rack"] = "zone-c",
                ["broker.heartbeat.interval.ms"] = "750",
                ["log.dirs"] = dir,
            }, new Dictionary<string, string>());

            var options = BrokerLifecycleOptions.FromConfig(config, "cluster-1", name => name == "PLAINTEXT" ? new IPEndPoint(IPAddress.Loopback, 40123) : null);

            Assert.Equal((2, "cluster-1", "zone-c"), (options.NodeId, options.ClusterId, options.Rack));
            var listener = Assert.Single(options.Listeners); // the controller listener is not a broker endpoint
            Assert.Equal(("PLAINTEXT", "127.0.0.1", (ushort)40123), (listener.Name, listener.Host, listener.Port));
            Assert.Equal([directoryId], options.LogDirs);
            Assert.Equal(TimeSpan.FromMilliseconds(750), options.HeartbeatInterval);
            Assert.NotEqual(Guid.Empty, options.IncarnationId);
            Assert.NotEqual(options.IncarnationId, BrokerLifecycleOptions.FromConfig(config, "cluster-1").IncarnationId);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AListenerWithoutAHostBoundToEveryInterfaceRegistersTheHostNameNotTheWildcard()
    {
        var config = BrokerConfig.Parse(new Dictionary<string, string>
        {
            ["node.id"] = "2",
            ["process.roles"] = "broker,controller",
            ["listeners"] = "PLAINTEXT://:9092,CONTROLLER://127.0.0.1:19093",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = "2@127.0.0.1:19093",
            ["log.dirs"] = Path.GetTempPath(),
        }, new Dictionary<string, string>());

        var options = BrokerLifecycleOptions.FromConfig(config, "cluster-1", _ => new IPEndPoint(IPAddress.Any, 9092));

        var listener = Assert.Single(options.Listeners);
        Assert.Equal((Dns.GetHostName(), (ushort)9092), (listener.Host, listener.Port));
    }

    [Fact]
    public void TheHeartbeatIntervalDefaultsToKafkas() =>
        Assert.Equal(2000, BrokerConfig.Parse(new Dictionary<string, string>
        {
            ["node.id"] = "1",
            ["process.roles"] = "broker",
            ["listeners"] = "PLAINTEXT://127.0.0.1:9092",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = "2@127.0.0.1:19093",
        }, new Dictionary<string, string>()).BrokerHeartbeatIntervalMs);
}
