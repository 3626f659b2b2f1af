using Microsoft.Extensions.Hosting;

namespace Tributary.FakeKube;

/// <summary>
/// Host lifetime for an embedded server: unlike the console lifetime it does not take over SIGTERM/Ctrl+C
/// of the process hosting the tests; the server stops only when disposed.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
