using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Client.Network;

/// <summary>
/// A TCP connection to a broker. Writes are serialized by a lock; a single read loop matches each
/// response frame to its request by correlation id, so any number of requests can be in flight.
/// ApiVersions is negotiated before the connection is handed out.
/// </summary>
public sealed class KafkaConnection : IKafkaConnection
{
    /// <summary>Sent in ApiVersions v3+; must match Kafka's software-name pattern.</summary>
    public const string SoftwareName = "tributary-client";

    public const string SoftwareVersion = "1.0";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly string _clientId;
    private readonly int _maxResponseSize;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private Task _readLoop = Task.CompletedTask;
    private ApiVersionTable _versions = new([]);
    private int _correlationId;
    private int _closed;

    private KafkaConnection(Socket socket, BrokerEndpoint endpoint, string clientId, int maxResponseSize)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _clientId = clientId;
        _maxResponseSize = maxResponseSize;
        Endpoint = endpoint;
    }

    public BrokerEndpoint Endpoint { get; }

    public ApiVersionTable Versions => _versions;

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    /// <summary>Connects, starts reading and negotiates API versions.</summary>
    public static async Task<KafkaConnection> ConnectAsync(BrokerEndpoint endpoint, ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                throw new KafkaException(ErrorCode.NetworkException, $"could not connect to {endpoint}: {ex.Message}", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var connection = new KafkaConnection(socket, endpoint, options.ClientId, options.MaxResponseSize);
        connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
        try
        {
            await connection.NegotiateAsync(options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;
    }

    private async Task NegotiateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var version = ApiKeys.Get(ApiKey.ApiVersions).HighestVersion;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new ApiVersionsRequest { ClientSoftwareName = SoftwareName, ClientSoftwareVersion = SoftwareVersion };
            var response = (ApiVersionsResponse)await SendAsync(request, version, timeout, cancellationToken).ConfigureAwait(false);
            if (response.ErrorCode == (short)ErrorCode.UnsupportedVersion && attempt == 0)
            {
                // The broker answered in v0 and listed its own ApiVersions range: retry within it.
                var theirs = response.ApiKeys.FirstOrDefault(k => k.ApiKey == (short)ApiKey.ApiVersions);
                version = theirs is null ? (short)0 : Math.Min(version, theirs.MaxVersion);
                continue;
            }

            KafkaException.ThrowIfError(response.ErrorCode, null, $"ApiVersions from {Endpoint}");
            _versions = new ApiVersionTable(response.ApiKeys.Select(k =>
                new KeyValuePair<ApiKey, ApiVersionRange>((ApiKey)k.ApiKey, new ApiVersionRange(k.MinVersion, k.MaxVersion))));
            return;
        }

        throw new KafkaException(ErrorCode.UnsupportedVersion, $"{Endpoint} supports no ApiVersions version this client speaks");
    }

    public async Task<IApiResponse> SendAsync(IApiRequest request, short version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var correlationId = Interlocked.Increment(ref _correlationId);
        var pending = new PendingRequest(request.ApiKey, version);
        _pending[correlationId] = pending;
        try
        {
            await WriteAsync(request, version, correlationId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _pending.TryRemove(correlationId, out _);
            throw;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await pending.Completion.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _pending.TryRemove(correlationId, out _);
            var error = new KafkaException(ErrorCode.RequestTimedOut,
                $"{request.ApiKey} request to {Endpoint} got no response within {timeout.TotalMilliseconds:0} ms");
            Close(error);
            throw error;
        }
        catch (OperationCanceledException)
        {
            _pending.TryRemove(correlationId, out _);
            throw;
        }
    }

    public Task SendWithoutResponseAsync(IApiRequest request, short version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(request, version, Interlocked.Increment(ref _correlationId), cancellationToken);
    }

    private async Task WriteAsync(IApiRequest request, short version, int correlationId, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new KafkaException(ErrorCode.NetworkException, $"connection to {Endpoint} is closed");
        }

        var (frame, length) = Encode(request, version, correlationId);
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(frame.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            var error = new KafkaException(ErrorCode.NetworkException, $"write to {Endpoint} failed: {ex.Message}", ex);
            Close(error);
            throw error;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>Size prefix, header, body in one pooled buffer.</summary>
    private (byte[] Frame, int Length) Encode(IApiRequest request, short version, int correlationId)
    {
        var header = new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = _clientId,
        };
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(request.ApiKey, version);
        var size = header.Size(headerVersion) + request.Size(version);
        var frame = ArrayPool<byte>.Shared.Rent(size + 4);
        var writer = new KafkaWriter(frame.AsSpan(0, size + 4));
        writer.WriteInt32(size);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        return (frame, size + 4);
    }

    private async Task ReadLoopAsync()
    {
        var sizeBytes = new byte[4];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(sizeBytes, _closing.Token).ConfigureAwait(false);
                var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
                if (size < 4 || size > _maxResponseSize)
                {
                    throw new KafkaException(ErrorCode.CorruptMessage, $"{Endpoint} sent a response frame of {size} bytes");
                }

                // Each response gets its own array: parsed messages (fetched records) slice it.
                var frame = new byte[size];
                await _stream.ReadExactlyAsync(frame, _closing.Token).ConfigureAwait(false);
                var correlationId = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (!_pending.TryRemove(correlationId, out var pending))
                {
                    continue; // the caller gave up (cancelled) on this one
                }

                try
                {
                    pending.Completion.TrySetResult(Decode(frame, pending));
                }
                catch (ProtocolException ex)
                {
                    pending.Completion.TrySetException(new KafkaException(ErrorCode.CorruptMessage,
                        $"malformed {pending.Key} v{pending.Version} response from {Endpoint}: {ex.Message}", ex));
                }
            }
        }
        catch (KafkaException ex)
        {
            Close(ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or EndOfStreamException or OperationCanceledException)
        {
            Close(new KafkaException(ErrorCode.NetworkException, $"connection to {Endpoint} closed: {ex.Message}", ex));
        }
    }

    private static IApiResponse Decode(byte[] frame, PendingRequest pending)
    {
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(pending.Key, pending.Version));
        if (pending.Key == ApiKey.ApiVersions && pending.Version > 0 && reader.Remaining >= 2
            && BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(reader.Position)) == (short)ErrorCode.UnsupportedVersion)
        {
            return DecodeApiVersionsFallback(reader);
        }

        var response = ApiKeys.CreateResponse(pending.Key);
        response.Read(ref reader, pending.Version);
        return response;
    }

    /// <summary>
    /// A broker that does not know our ApiVersions version answers in v0 (KIP-511), listing its own
    /// ApiVersions range. Some (librdkafka's mock) answer in a shape that is neither; then the error
    /// alone is kept, and negotiation retries at v0.
    /// </summary>
    private static ApiVersionsResponse DecodeApiVersionsFallback(KafkaReader reader)
    {
        var response = new ApiVersionsResponse();
        try
        {
            response.Read(ref reader, 0);
            return response;
        }
        catch (ProtocolException)
        {
            return new ApiVersionsResponse { ErrorCode = (short)ErrorCode.UnsupportedVersion };
        }
    }

    private void Close(KafkaException reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        _socket.Dispose();
        foreach (var (id, pending) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                pending.Completion.TrySetException(reason);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new KafkaException(ErrorCode.NetworkException, $"connection to {Endpoint} was closed by the client"));
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
        _writeLock.Dispose();
    }
}
