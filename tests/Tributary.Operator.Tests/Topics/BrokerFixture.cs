using Tributary.TestSupport;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

/// <summary>One real single-node `tributary broker` process shared by the tests of a class (each uses its own topics).</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
