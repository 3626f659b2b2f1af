namespace Tributary.Broker.Tests.Config;

/// <summary>A minimal valid combined-mode configuration for tests to modify.</summary>
internal static class ConfigFixture
{
    public static Dictionary<string, string> Combined() => new(StringComparer.Ordinal)
    {
        ["node.id"] = "1",
        ["process.roles"] = "broker,controller",
        ["listeners"] = "PLAINTEXT://:9092,CONTROLLER://:9093",
        ["advertised.listeners"] = "PLAINTEXT://localhost:9092",
        ["controller.listener.names"] = "CONTROLLER",
        ["controller.quorum.voters"] = "1@localhost:9093",
    };

    public static Dictionary<string, string> With(params (string Key, string Value)[] changes)
    {
        var d = Combined();
        foreach (var (k, v) in changes)
        {
            d[k] = v;
        }

        return d;
    }

    public static readonly IReadOnlyDictionary<string, string> NoEnv = new Dictionary<string, string>();
}
