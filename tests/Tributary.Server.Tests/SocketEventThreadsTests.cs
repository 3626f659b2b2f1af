using Tributary.Broker.Network;
using Tributary.Server.Tests.Support;

namespace Tributary.Server.Tests;

/// <summary>The broker process runs socket continuations on the socket event threads (see <see cref="SocketEventThreads"/>).</summary>
public sealed class SocketEventThreadsTests : IClassFixture<BrokerFixture>
{
    private readonly BrokerFixture _fixture;

    public SocketEventThreadsTests(BrokerFixture fixture) => _fixture = fixture;

    /// <summary>
    /// The runtime starts one event thread per core with inline completions, and one per 30 cores
    /// without, so on a machine of 2+ cores the thread count shows the setting took effect (it is
    /// read once, when the first socket is made, so setting it too late would leave one thread).
    /// The broker inherits this process's environment, which does not set the variable.
    /// </summary>
    [Fact]
    public void TheBrokerHasOneSocketEventThreadPerCore()
    {
        var threads = Directory.EnumerateDirectories($"/proc/{_fixture.Broker.Pid}/task")
            .Select(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'))
            .Count(name => name == ".NET Sockets");

        Assert.Equal(Environment.ProcessorCount, threads);
    }
}
