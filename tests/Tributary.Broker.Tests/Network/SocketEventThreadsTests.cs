using Tributary.Broker.Network;
using Xunit;

namespace Tributary.Broker.Tests.Network;

public sealed class SocketEventThreadsTests
{
    [Fact]
    public void InlineCompletionsAreTurnedOnWhenTheEnvironmentIsSilent() =>
        Assert.Equal("1", SocketEventThreads.InlineCompletionsSetting(null));

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("")]
    public void AValueAlreadyInTheEnvironmentIsLeftAlone(string current) =>
        Assert.Null(SocketEventThreads.InlineCompletionsSetting(current));
}
