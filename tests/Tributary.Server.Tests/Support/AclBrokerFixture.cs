using Tributary.TestSupport;

namespace Tributary.Server.Tests.Support;

/// <summary>One broker process enforcing ACLs (StandardAuthorizer, open while a resource has no ACL), shared by a test class.</summary>
public sealed class AclBrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public static IReadOnlyDictionary<string, string> Config { get; } = new Dictionary<string, string>
    {
        ["authorizer.class.name"] = "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        ["allow.everyone.if.no.acl.found"] = "true",
    };

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync(Config).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
