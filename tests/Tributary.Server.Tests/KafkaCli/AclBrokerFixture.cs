using Tributary.TestSupport;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>One broker with Kafka's standard authorizer (everyone allowed where no ACL matches), for ACL tool tests.</summary>
public sealed class AclBrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync(new Dictionary<string, string>
    {
        ["authorizer.class.name"] = "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        ["allow.everyone.if.no.acl.found"] = "true",
    }).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
