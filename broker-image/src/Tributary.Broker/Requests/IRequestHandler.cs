using Tributary.Broker.Network;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Requests;

/// <summary>
/// Handles one Kafka API. The dispatcher parses the header and body, checks the version against
/// <see cref="MinVersion"/>..<see cref="MaxVersion"/> (the range ApiVersions advertises), calls
/// <see cref="HandleAsync"/>, and writes the response with the matching response header.
/// </summary>
public interface IRequestHandler
{
    ApiKey Key { get; }

    short MinVersion { get; }

    short MaxVersion { get; }

    /// <summary>
    /// Returns the response body, or null when no response is sent (Produce with acks=0).
    /// Complete later for long polls and acks=all; never block a thread. Per-partition problems
    /// are error codes in the response; throwing means "close this connection".
    /// </summary>
    ValueTask<IApiResponse?> HandleAsync(RequestContext context, RequestHeader header, IApiRequest request, CancellationToken ct);

    /// <summary>
    /// Called once <paramref name="response"/> has been written into its frame, so a handler can
    /// return pooled buffers the response referenced (a fetch's records). Nothing by default.
    /// </summary>
    void ResponseSerialized(IApiResponse response)
    {
    }

    /// <summary>
    /// How many bytes of <paramref name="response"/>'s records fields its frame may send from the
    /// handler's own buffers instead of copying them (the fields <see cref="ResponseFrame.Gathers"/>
    /// accepts). When not 0, <see cref="ResponseSerialized"/> is called only once the frame is
    /// disposed, after it was sent. 0 (copy everything) by default.
    /// </summary>
    int GatheredRecordsBytes(IApiResponse response) => 0;
}
