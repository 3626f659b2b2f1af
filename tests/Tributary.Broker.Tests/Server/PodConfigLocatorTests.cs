using Tributary.Server;
using Xunit;

namespace Tributary.Broker.Tests.Server;

/// <summary>The operator's pod contract: config path from TRIBUTARY_CONFIG_DIR, role, id base and the pod ordinal.</summary>
public sealed class PodConfigLocatorTests
{
    [Fact]
    public void BrokerPodUsesBasePlusOrdinal()
    {
        var env = new Dictionary<string, string>
        {
            ["TRIBUTARY_CONFIG_DIR"] = "/etc/tributary/config",
            ["TRIBUTARY_NODE_ROLE"] = "broker",
            ["TRIBUTARY_NODE_ID_BASE"] = "1000",
            ["POD_NAME"] = "orders-zone-b-2",
        };
        Assert.Equal("/etc/tributary/config/broker-1002.properties", PodConfigLocator.Resolve(env));
    }

    [Fact]
    public void DedicatedControllerRole()
    {
        var env = new Dictionary<string, string>
        {
            ["TRIBUTARY_CONFIG_DIR"] = "/cfg",
            ["TRIBUTARY_NODE_ROLE"] = "controller",
            ["TRIBUTARY_NODE_ID_BASE"] = "9000",
            ["POD_NAME"] = "orders-controller-0",
        };
        Assert.Equal("/cfg/controller-9000.properties", PodConfigLocator.Resolve(env));
    }

    [Fact]
    public void OutsideAPodThereIsNoPath() => Assert.Null(PodConfigLocator.Resolve(new Dictionary<string, string>()));

    [Theory]
    [InlineData("orders", "1000", "broker")]
    [InlineData("orders-x", "1000", "broker")]
    [InlineData("orders-1", "-5", "broker")]
    [InlineData("orders-1", "1000", "observer")]
    public void MalformedPodEnvironmentIsAUsageError(string podName, string idBase, string role)
    {
        var env = new Dictionary<string, string>
        {
            ["TRIBUTARY_CONFIG_DIR"] = "/cfg",
            ["TRIBUTARY_NODE_ROLE"] = role,
            ["TRIBUTARY_NODE_ID_BASE"] = idBase,
            ["POD_NAME"] = podName,
        };
        Assert.Throws<UsageException>(() => PodConfigLocator.Resolve(env));
    }
}
