using Tributary.Protocol.Messages;

namespace Tributary.Client.Network;

/// <summary>
/// One connection to one broker, with the API versions negotiated when it opened. Requests may be
/// pipelined: each waits for its own response, matched by correlation id.
/// </summary>
public interface IKafkaConnection : IAsyncDisposable
{
    BrokerEndpoint Endpoint { get; }

    ApiVersionTable Versions { get; }

    /// <summary>False once the connection failed or was closed; the pool then opens a new one.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Sends a request at <paramref name="version"/> and returns its response. Raises
    /// <see cref="KafkaException"/> with NetworkException when the connection drops and RequestTimedOut
    /// after <paramref name="timeout"/> (which also closes the connection, as Kafka clients do).
    /// </summary>
    Task<IApiResponse> SendAsync(IApiRequest request, short version, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Sends a request that gets no response (Produce with acks=0); completes once written.</summary>
    Task SendWithoutResponseAsync(IApiRequest request, short version, CancellationToken cancellationToken);
}
