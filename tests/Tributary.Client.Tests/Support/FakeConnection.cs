using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Tests.Support;

/// <summary>
/// An in-memory connection to a <see cref="FakeCluster"/> broker. Requests and responses are
/// serialized and parsed at the negotiated version, so version-dependent fields are exercised.
/// </summary>
public sealed class FakeConnection(FakeCluster cluster, int nodeId, BrokerEndpoint endpoint, ApiVersionTable versions) : IKafkaConnection
{
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;
    private bool _open = true;

    public BrokerEndpoint Endpoint => endpoint;

    public ApiVersionTable Versions => versions;

    public bool IsOpen => _open && !cluster.IsDown(nodeId);

    /// <summary>
    /// Requests are handled one after another in send order (as a broker does per connection), each
    /// on the thread pool, so several can be in flight at once.
    /// </summary>
    public Task<IApiResponse> SendAsync(IApiRequest request, short version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new KafkaException(ErrorCode.NetworkException, $"fake connection to {endpoint} is closed");
        }

        var bytes = MessageSerializer.ToArray(request, version);
        lock (_gate)
        {
            var next = _tail.ContinueWith(_ => Process(request.ApiKey, bytes, version), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _tail = next;
            return next;
        }
    }

    private IApiResponse Process(ApiKey key, byte[] bytes, short version)
    {
        var copy = ApiKeys.CreateRequest(key);
        var reader = new Tributary.Protocol.Primitives.KafkaReader(bytes);
        copy.Read(ref reader, version);
        IApiResponse response;
        try
        {
            response = cluster.Handle(nodeId, copy, version);
        }
        catch (KafkaException ex) when (ex.ErrorCode == ErrorCode.NetworkException)
        {
            _open = false;
            throw;
        }

        var parsed = ApiKeys.CreateResponse(key);
        var responseReader = new Tributary.Protocol.Primitives.KafkaReader(MessageSerializer.ToArray(response, version));
        parsed.Read(ref responseReader, version);
        return parsed;
    }

    public Task SendWithoutResponseAsync(IApiRequest request, short version, CancellationToken cancellationToken)
    {
        cluster.Handle(nodeId, request, version);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _open = false;
        return ValueTask.CompletedTask;
    }
}
