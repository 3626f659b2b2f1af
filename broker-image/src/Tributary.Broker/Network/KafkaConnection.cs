using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Network;

/// <summary>
/// One client connection, three loops joined by bounded channels. The read loop cuts the socket's
/// byte stream into frames and copies each into a pooled buffer (large frames are received
/// straight into theirs). The execute loop starts each frame's handler in arrival order without
/// waiting for its answer. The write loop takes the started requests in arrival order, awaits
/// each, and writes the responses, flushing once per run of already-completed responses so
/// pipelined answers share a socket send. A handler that finished while it was started, with no
/// earlier answer outstanding, is answered by the execute loop directly.
/// </summary>
/// <remarks>
/// Reading is kept apart from executing because a produce handler appends synchronously (CRC,
/// copy into the page cache): when the read loop ran it, the socket went unread for that time,
/// its receive window filled, and a pipelining client stalled instead of sending the next
/// request. Handlers still start one at a time in arrival order, which is what keeps a client's
/// pipelined produce requests to one partition appended in the order it sent them. The read loop
/// may run on a socket event thread (<see cref="SocketEventThreads"/>), so it never blocks: the
/// channel to the execute loop completes its reader asynchronously.
/// </remarks>
internal sealed partial class KafkaConnection
{
    /// <summary>
    /// Frames at least this large (a produce of whole batches, typically 1 MB) are read from the
    /// socket straight into their request buffer rather than through the pipe's 16 KiB segments:
    /// one copy less, and a few large receives instead of one per segment.
    /// </summary>
    private const int DirectReadFrameBytes = 64 * 1024;

    /// <summary>Responses at least this large are written to the socket from their own buffer (see <see cref="WriteDirectAsync"/>).</summary>
    private const int DirectWriteFrameBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IRequestDispatcher _dispatcher;
    private readonly SocketServerOptions _options;
    private readonly INetworkObserver _observer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly Channel<ReceivedFrame> _received;
    private readonly Channel<PendingResponse> _pending;

    /// <summary>Held by whoever writes answers to the socket: the write loop for a run of queued ones, or the execute loop for one it answers directly.</summary>
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>The gather list and size prefix of <see cref="WriteDirectAsync"/>, reused: only the holder of <see cref="_writing"/> touches them.</summary>
    private readonly List<ArraySegment<byte>> _gather = [];
    private readonly byte[] _sizePrefix = new byte[sizeof(int)];
    private long _lastActivity = Environment.TickCount64;
    private int _inflight;
    private int _closeReason = -1;
    private volatile bool _stopReading;

    public KafkaConnection(Socket socket, ConnectionContext context, IRequestDispatcher dispatcher,
        SocketServerOptions options, INetworkObserver observer, ILogger logger)
    {
        _socket = socket;
        Context = context;
        _dispatcher = dispatcher;
        _options = options;
        _observer = observer;
        _logger = logger;
        _stream = new NetworkStream(socket, ownsSocket: true);

        // Zero-byte reads: an idle connection holds no buffer, which is what lets thousands of them sit cheaply.
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true, useZeroByteReads: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        _received = Channel.CreateBounded<ReceivedFrame>(new BoundedChannelOptions(options.MaxInflightRequestsPerConnection)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pending = Channel.CreateBounded<PendingResponse>(new BoundedChannelOptions(options.MaxInflightRequestsPerConnection)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ConnectionContext Context { get; }

    /// <summary>Runs the connection to its end; never throws.</summary>
    public async Task RunAsync()
    {
        _observer.ConnectionOpened(Context);
        Task writer = WriteLoopAsync();
        Task executor = ExecuteLoopAsync();
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Abort(CloseReason.SocketError);
        }
        catch (Exception e)
        {
            LogUnexpected(_logger, Context.Id, e);
            Abort(CloseReason.HandlerFailed);
        }
        finally
        {
            _received.Writer.TryComplete();
        }

        await executor.ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        await CloseSocketAsync().ConfigureAwait(false);
        var reason = _closeReason < 0 ? CloseReason.ClientClosed : (CloseReason)_closeReason;
        LogClosed(_logger, Context.Id, Context.RemoteEndPoint?.ToString(), reason);
        _observer.ConnectionClosed(Context, reason);
    }

    /// <summary>Idle: nothing in flight and no traffic for <paramref name="idleMs"/>.</summary>
    public bool IsIdle(long nowTicks, long idleMs) =>
        Volatile.Read(ref _inflight) == 0 && nowTicks - Volatile.Read(ref _lastActivity) > idleMs;

    /// <summary>Stop reading new requests, finish and send the ones in flight, then close.</summary>
    public void BeginGracefulClose()
    {
        _stopReading = true;
        _input.CancelPendingRead();
    }

    /// <summary>Close now: in-flight handlers see their token cancelled, unsent responses are dropped.</summary>
    public void Abort(CloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) != -1)
        {
            return;
        }

        try
        {
            _abort.Cancel();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing left to shut down.
        }
    }

    private async Task ReadLoopAsync()
    {
        while (!_stopReading)
        {
            ReadResult result = await _input.ReadAsync(_abort.Token).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                break;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            Touch();
            bool stop = false;
            (byte[] Buffer, int Have, int Size)? large = null;
            try
            {
                while (!stop)
                {
                    FrameStatus status = FrameDecoder.TryRead(ref buffer, _options.MaxRequestBytes, out var frame, out int size);
                    if (status == FrameStatus.NeedMoreData)
                    {
                        if (size >= DirectReadFrameBytes && !result.IsCompleted)
                        {
                            large = TakeLargeFramePrefix(ref buffer, size);
                        }

                        break;
                    }

                    if (status != FrameStatus.Complete)
                    {
                        RejectFrame(status, size);
                        return;
                    }

                    stop = !await DispatchAsync(frame).ConfigureAwait(false);
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (large is { } pending)
            {
                stop = !await ReadLargeFrameAsync(pending.Buffer, pending.Have, pending.Size).ConfigureAwait(false);
            }

            if (stop || result.IsCompleted)
            {
                break;
            }
        }
    }

    /// <summary>Moves the buffered start of a large frame into a pooled buffer of its full size, consuming the pipe.</summary>
    private static (byte[] Buffer, int Have, int Size) TakeLargeFramePrefix(ref ReadOnlySequence<byte> buffer, int size)
    {
        byte[] request = ArrayPool<byte>.Shared.Rent(size);
        ReadOnlySequence<byte> start = buffer.Slice(sizeof(int));
        start.CopyTo(request);
        buffer = buffer.Slice(buffer.End);
        return (request, (int)start.Length, size);
    }

    /// <summary>
    /// Reads the rest of a large frame from the stream (the pipe holds no unconsumed bytes and has
    /// no read outstanding, so nothing else reads the socket) and dispatches it; false when the
    /// connection is closing or the client went away mid-frame.
    /// </summary>
    private async ValueTask<bool> ReadLargeFrameAsync(byte[] request, int have, int size)
    {
        try
        {
            while (have < size)
            {
                int read = await _stream.ReadAsync(request.AsMemory(have, size - have), _abort.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(request);
                    return false;
                }

                have += read;
                Touch();
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(request);
            throw;
        }

        return await DispatchAsync(request, size).ConfigureAwait(false);
    }

    private void RejectFrame(FrameStatus status, int size)
    {
        var reason = status == FrameStatus.TooLarge ? CloseReason.FrameTooLarge : CloseReason.MalformedFrame;
        LogRejected(_logger, Context.Id, Context.RemoteEndPoint?.ToString(), size, _options.MaxRequestBytes);
        Abort(reason);
    }

    /// <summary>Copies the frame out of the pipe and queues it for execution; false when the connection is closing.</summary>
    private ValueTask<bool> DispatchAsync(ReadOnlySequence<byte> frame)
    {
        int length = (int)frame.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        frame.CopyTo(buffer);
        return DispatchAsync(buffer, length);
    }

    /// <summary>Queues a frame held in a pooled <paramref name="buffer"/> (which the queue now owns) for the execute loop.</summary>
    private async ValueTask<bool> DispatchAsync(byte[] buffer, int length)
    {
        RequestHeaderPrefix.TryRead(buffer.AsSpan(0, length), out var header);
        var request = new RequestContext(Context, header, Stopwatch.GetTimestamp());
        Context.AddReceived(length + sizeof(int));
        Context.AddRequest();
        _observer.RequestReceived(request, length + sizeof(int));
        Interlocked.Increment(ref _inflight);
        try
        {
            await _received.Writer.WriteAsync(new ReceivedFrame(buffer, length, request), _abort.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Decrement(ref _inflight);
            return false;
        }
    }

    /// <summary>
    /// Starts every received frame's handler in arrival order and queues it for the write loop;
    /// when the connection closes, frames never started go back to the pool.
    /// </summary>
    private async Task ExecuteLoopAsync()
    {
        ChannelReader<ReceivedFrame> reader = _received.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out ReceivedFrame frame))
                {
                    // A direct answer whose send had to wait resumes this loop on the thread that
                    // finished the send, a socket event thread with inline completions
                    // (SocketEventThreads); handlers never start there, a produce may block. Forced
                    // yielding without a captured context always lands on the thread pool, where
                    // Task.Yield would post to a synchronization context if the caller had one.
                    if (!Thread.CurrentThread.IsThreadPoolThread)
                    {
                        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                    }

                    if (!await StartAsync(frame).ConfigureAwait(false))
                    {
                        _received.Writer.TryComplete();
                        while (reader.TryRead(out ReceivedFrame unstarted))
                        {
                            ArrayPool<byte>.Shared.Return(unstarted.Buffer);
                            Interlocked.Decrement(ref _inflight);
                        }

                        return;
                    }
                }
            }
        }
        finally
        {
            _pending.Writer.TryComplete();
        }
    }

    /// <summary>Starts the handler of one frame and queues it for the write loop; false when the write loop is gone.</summary>
    private async ValueTask<bool> StartAsync(ReceivedFrame frame)
    {
        ValueTask<ResponseFrame?> task;
        try
        {
            task = _dispatcher.DispatchAsync(frame.Request, frame.Buffer.AsMemory(0, frame.Length), _abort.Token);
        }
        catch (Exception e)
        {
            // A handler that throws before returning a task is treated like one whose task faults.
            task = ValueTask.FromException<ResponseFrame?>(e);
        }

        var pending = new PendingResponse(task, frame.Buffer, frame.Request);
        if (await TryAnswerNowAsync(pending).ConfigureAwait(false))
        {
            return true;
        }

        try
        {
            await _pending.Writer.WriteAsync(pending, _abort.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The write loop is gone; still wait for the handler before its frame returns to the pool.
            Interlocked.Decrement(ref _inflight);
            _ = DiscardAsync(pending);
            return false;
        }
    }

    /// <summary>
    /// Writes the answers of started requests in arrival order. It holds <see cref="_writing"/>
    /// from taking the first item of a run until that run is written and flushed, which is what
    /// lets the execute loop answer directly when nothing is queued or being written (see
    /// <see cref="TryAnswerNowAsync"/>).
    /// </summary>
    private async Task WriteLoopAsync()
    {
        ChannelReader<PendingResponse> reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _writing.WaitAsync().ConfigureAwait(false);
            try
            {
                while (reader.TryRead(out PendingResponse item))
                {
                    await WriteAnswerAsync(item, fromWriteLoop: true).ConfigureAwait(false);
                }

                await FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                _writing.Release();
            }
        }
    }

    /// <summary>
    /// The fast path of a request whose handler finished while it was started (a produce with
    /// acks=1, metadata, most admin calls): when no earlier answer is queued or being written, the
    /// execute loop writes it itself instead of waking the write loop for it, which saves a thread
    /// hand-off per request. False when it must take its turn in the write loop.
    /// </summary>
    private async ValueTask<bool> TryAnswerNowAsync(PendingResponse pending)
    {
        // Nothing queued, and the write loop is not between taking an item and writing it (it holds
        // _writing for that whole time): every earlier answer is on its way to the socket.
        if (!pending.Task.IsCompleted || _pending.Reader.Count > 0 || !_writing.Wait(0))
        {
            return false;
        }

        try
        {
            if (_pending.Reader.Count > 0)
            {
                return false;
            }

            await WriteAnswerAsync(pending, fromWriteLoop: false).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Completes one request and writes its answer (or closes the connection if it failed); the
    /// caller holds <see cref="_writing"/>. The write loop flushes only when the next queued answer
    /// is not ready to share the send; a direct answer is flushed at once.
    /// </summary>
    private async ValueTask WriteAnswerAsync(PendingResponse item, bool fromWriteLoop)
    {
        var (response, failure) = await CompleteAsync(item).ConfigureAwait(false);
        if (failure is { } reason)
        {
            // Answers to the requests before the bad one still go out, then the connection closes.
            await FlushAsync().ConfigureAwait(false);
            Abort(reason);
            return;
        }

        if (response is null)
        {
            return;
        }

        using (response)
        {
            if (_abort.IsCancellationRequested)
            {
                return;
            }

            if (response.IsGathered || response.Length >= DirectWriteFrameBytes)
            {
                await WriteDirectAsync(response).ConfigureAwait(false);
                return;
            }

            WriteFrame(response);
        }

        if (!fromWriteLoop || !(_pending.Reader.TryPeek(out var next) && next.Task.IsCompleted))
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Awaits one handler, releases its frame, records metrics; the response (null: nothing to send) or why to close.</summary>
    private async ValueTask<(ResponseFrame? Response, CloseReason? Failure)> CompleteAsync(PendingResponse item)
    {
        ResponseFrame? response = null;
        CloseReason? failure = null;
        try
        {
            response = await item.Task.ConfigureAwait(false);
        }
        catch (ProtocolException e)
        {
            LogProtocolError(_logger, Context.Id, item.Request.ApiKey, item.Request.ApiVersion, e.Message);
            failure = CloseReason.ProtocolError;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The connection is closing; the handler gave up as asked.
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, Context.Id, item.Request.ApiKey, item.Request.ApiVersion, e);
            failure = CloseReason.HandlerFailed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(item.RequestBuffer);
            Interlocked.Decrement(ref _inflight);
        }

        double elapsed = Stopwatch.GetElapsedTime(item.Request.ReceivedTimestamp).TotalSeconds;
        _observer.RequestCompleted(item.Request, elapsed, response?.Length + sizeof(int) ?? 0);
        return (response, failure);
    }

    private void WriteFrame(ResponseFrame response)
    {
        Span<byte> prefix = _output.GetSpan(sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(prefix, response.Length);
        _output.Advance(sizeof(int));
        _output.Write(response.Memory.Span);
        Context.AddSent(response.Length + sizeof(int));
    }

    /// <summary>
    /// Sends a large frame, or one whose records stay in their read buffers
    /// (<see cref="ResponseFrame.IsGathered"/>), from where its bytes are, without copying them
    /// into the pipe's segments: one gather write of the size prefix, the frame's own bytes and
    /// any records, in order. Smaller answers still buffered go out first, with the prefix.
    /// </summary>
    private async ValueTask WriteDirectAsync(ResponseFrame response)
    {
        if (_output.UnflushedBytes > 0)
        {
            Span<byte> prefix = _output.GetSpan(sizeof(int));
            BinaryPrimitives.WriteInt32BigEndian(prefix, response.Length);
            _output.Advance(sizeof(int));
            await FlushAsync().ConfigureAwait(false);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(_sizePrefix, response.Length);
            _gather.Add(new ArraySegment<byte>(_sizePrefix));
        }

        if (_abort.IsCancellationRequested)
        {
            _gather.Clear();
            return;
        }

        try
        {
            response.AddSegmentsTo(_gather);
            await GatherWriter.SendAllAsync(_socket, _gather).ConfigureAwait(false);
            Context.AddSent(response.Length + sizeof(int));
            Touch();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Abort(CloseReason.SocketError);
        }
        finally
        {
            _gather.Clear();
        }
    }

    private async ValueTask FlushAsync()
    {
        if (_abort.IsCancellationRequested || _output.UnflushedBytes == 0)
        {
            return;
        }

        try
        {
            FlushResult result = await _output.FlushAsync(_abort.Token).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                Abort(CloseReason.ClientClosed);
            }

            Touch();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Abort(CloseReason.SocketError);
        }
    }

    private static async Task DiscardAsync(PendingResponse pending)
    {
        try
        {
            (await pending.Task.ConfigureAwait(false))?.Dispose();
        }
        catch (Exception)
        {
            // The connection is already closing; the outcome of this request no longer matters.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pending.RequestBuffer);
        }
    }

    private async Task CloseSocketAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        await _output.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);

        // _abort is deliberately not disposed: a late handler may still register on its token.
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);
}
