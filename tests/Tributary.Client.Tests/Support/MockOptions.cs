using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Support;

/// <summary>Client options for librdkafka's mock cluster.</summary>
public static class MockOptions
{
    /// <summary>
    /// librdkafka 2.0.2's mock advertises ListOffsets v5 but misreads v4+ requests (it skips
    /// current_leader_epoch), so clients talking to it stay at v3.
    /// </summary>
    public static T For<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxVersions = new Dictionary<ApiKey, short> { [ApiKey.ListOffsets] = 3 };
        options.RetryBackoff = TimeSpan.FromMilliseconds(20);
        return options;
    }
}
