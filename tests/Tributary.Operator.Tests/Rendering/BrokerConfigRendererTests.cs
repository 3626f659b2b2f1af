using Tributary.Operator.Rendering;
using Xunit;

namespace Tributary.Operator.Tests.Rendering;

/// <summary>The Kubernetes-free broker configuration builder (shared with `tributary dev`).</summary>
public sealed class BrokerConfigRendererTests
{
    private static BrokerConfigModel DevNode(IReadOnlyDictionary<string, string>? user = null) => new()
    {
        NodeId = 1,
        ProcessRoles = ["broker", "controller"],
        ClusterId = "q1Sh-9_ISia_zwGINzRvyQ",
        Listeners =
        [
            new ListenerEndpoint("CONTROLLER", 9093, "PLAINTEXT"),
            new ListenerEndpoint("PLAINTEXT", 9092, "PLAINTEXT", "localhost"),
        ],
        Voters = [new QuorumVoter(1, "localhost", 9093)],
        ControllerListenerName = "CONTROLLER",
        InterBrokerListenerName = "PLAINTEXT",
        LogDirs = "/tmp/tributary",
        UserConfig = user,
    };

    [Fact]
    public void SingleNodeDevConfiguration()
    {
        var text = BrokerConfigRenderer.RenderText(DevNode(new Dictionary<string, string> { ["num.partitions"] = "3", ["auto.create.topics.enable"] = "true" }));
        Golden.Verify("dev-node.properties", text);
    }

    [Fact]
    public void UserKeysFollowOwnedKeysInOrdinalOrder()
    {
        var entries = BrokerConfigRenderer.Render(DevNode(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["B"] = "0" }));
        Assert.Equal("node.id", entries[0].Key);
        Assert.Equal(["B", "a", "b"], entries.TakeLast(3).Select(e => e.Key));
    }

    [Fact]
    public void ValuesAreEscapedForJavaProperties()
    {
        var text = BrokerConfigRenderer.ToPropertiesText([
            KeyValuePair.Create("odd key=x", " leading\nnext\\ é"),
            KeyValuePair.Create("#comment-like", "!bang"),
        ]);
        Assert.Contains(@"odd\ key\=x=\ leading\nnext\\ \u00e9", text, StringComparison.Ordinal);
        Assert.Contains(@"\#comment-like=\!bang", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerOnlyNodeHasNoAdvertisedOrInterBrokerListener()
    {
        var model = DevNode() with
        {
            ProcessRoles = ["controller"],
            Listeners = [new ListenerEndpoint("CONTROLLER", 9090, "PLAINTEXT")],
            InterBrokerListenerName = null,
        };
        var keys = BrokerConfigRenderer.Render(model).Select(e => e.Key).ToList();
        Assert.DoesNotContain("advertised.listeners", keys);
        Assert.DoesNotContain("inter.broker.listener.name", keys);
        Assert.Contains("controller.quorum.voters", keys);
    }

    [Fact]
    public void BrokerOnlyNodeStillMapsTheControllerListener()
    {
        var model = DevNode() with
        {
            ProcessRoles = ["broker"],
            Listeners = [new ListenerEndpoint("PLAINTEXT", 9092, "PLAINTEXT", "localhost")],
        };
        var map = BrokerConfigRenderer.Render(model).Single(e => e.Key == "listener.security.protocol.map").Value;
        Assert.Equal("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT", map);
    }
}
