using Tributary.Server;
using Xunit;

namespace Tributary.Broker.Tests.Server;

/// <summary>
/// Listeners whose security the broker cannot provide yet refuse to start with a clear message,
/// rather than silently serving plaintext to clients that were promised SASL or TLS.
/// </summary>
public sealed class UnsupportedListenerTests
{
    [Theory]
    [InlineData("SASL_PLAINTEXT")]
    [InlineData("SASL_SSL")]
    [InlineData("SSL")]
    public async Task SecuredListenerRefusesToStart(string protocol)
    {
        var logs = Directory.CreateTempSubdirectory("tributary-listener-").FullName;
        try
        {
            using var config = new TempConfig($"""
                node.id=1
                process.roles=broker,controller
                listeners=SECURE://127.0.0.1:0,CONTROLLER://127.0.0.1:0
                listener.security.protocol.map=SECURE:{protocol},CONTROLLER:PLAINTEXT
                inter.broker.listener.name=SECURE
                controller.listener.names=CONTROLLER
                controller.quorum.voters=1@127.0.0.1:9093
                log.dirs={logs}
                tributary.metrics.listener=none
                """);
            var error = new StringWriter();
            var code = await Program.RunAsync(["broker", "--config", config.Path],
                new CommandIO(TextWriter.Null, error, new Dictionary<string, string>()), CancellationToken.None);

            Assert.Equal(ExitCodes.Usage, code);
            Assert.Contains($"SECURE uses {protocol}", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(logs, recursive: true);
        }
    }
}
