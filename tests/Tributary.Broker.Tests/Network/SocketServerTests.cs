using System.Buffers.Binary;
using Tributary.Broker.Network;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Network;

public sealed class SocketServerTests
{
    [Fact]
    public async Task EchoesRequestAndExposesEphemeralPort()
    {
        var dispatcher = new FakeDispatcher();
        await using var server = TestServer.Start(dispatcher);
        Assert.NotEqual(0, server.Port);

        await using var client = await TestClient.ConnectAsync(server.Port);
        await client.SendRequestAsync(42, apiKey: 18, body: [1, 2, 3]);
        var payload = await client.ReceiveAsync();
        Assert.Equal([0, 0, 0, 42, 1, 2, 3], payload);

        var ctx = Assert.Single(dispatcher.Seen);
        Assert.Equal(18, ctx.ApiKey);
        Assert.Equal(1, ctx.ApiVersion);
        Assert.Equal("PLAINTEXT", ctx.ListenerName);
        Assert.NotNull(ctx.RemoteEndPoint);
    }

    [Fact]
    public async Task PipelinedResponsesKeepRequestOrderWhenLaterOnesFinishFirst()
    {
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            // Copy before awaiting is not required: the frame stays valid until this task completes.
            await gates[ctx.CorrelationId].Task;
            return FakeDispatcher.Echo(ctx, frame);
        });
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);

        await client.SendAsync([.. TestClient.Frame(3, 0, [10]), .. TestClient.Frame(3, 1, [11]), .. TestClient.Frame(3, 2, [12]), .. TestClient.Frame(3, 3, [13])]);
        await WaitUntil(() => dispatcher.Seen.Count == 4);
        gates[3].SetResult();
        gates[1].SetResult();
        gates[2].SetResult();
        gates[0].SetResult();

        for (int i = 0; i < 4; i++)
        {
            var payload = await client.ReceiveAsync();
            Assert.NotNull(payload);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(payload));
            Assert.Equal(10 + i, payload[4]);
        }
    }

    /// <summary>
    /// Handlers that answer at once are written by the execute loop directly unless an earlier
    /// answer is still outstanding; mixed with handlers that wait, every answer still leaves in
    /// request order, with its own payload.
    /// </summary>
    [Fact]
    public async Task ImmediateAndDelayedAnswersMixedKeepRequestOrder()
    {
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            if (ctx.CorrelationId % 3 == 0)
            {
                await Task.Delay(ctx.CorrelationId % 4, ct);
            }
            else if (ctx.CorrelationId % 7 == 0)
            {
                await Task.Yield();
            }

            return FakeDispatcher.Echo(ctx, frame);
        });
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        const int count = 300;
        var frames = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            frames.AddRange(TestClient.Frame(3, i, [(byte)i]));
        }

        await client.SendAsync([.. frames]);
        for (int i = 0; i < count; i++)
        {
            var payload = await client.ReceiveAsync();
            Assert.NotNull(payload);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(payload));
            Assert.Equal((byte)i, payload[4]);
        }
    }

    [Fact]
    public async Task NoResponseRequestsPreserveOrderOfLaterResponses()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            if (ctx.CorrelationId == 1)
            {
                await slow.Task;
            }

            // acks=0: the even requests get no response at all.
            return ctx.CorrelationId % 2 == 0 ? null : FakeDispatcher.Echo(ctx, frame);
        });
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        for (int i = 0; i < 6; i++)
        {
            await client.SendRequestAsync(i);
        }

        await WaitUntil(() => dispatcher.Seen.Count == 6);
        slow.SetResult();
        Assert.Equal(1, await client.ReceiveCorrelationIdAsync());
        Assert.Equal(3, await client.ReceiveCorrelationIdAsync());
        Assert.Equal(5, await client.ReceiveCorrelationIdAsync());
    }

    [Fact]
    public async Task LargeFrameArrivesIntact()
    {
        var dispatcher = new FakeDispatcher();
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        var body = new byte[1_000_000];
        new Random(7).NextBytes(body);
        await client.SendRequestAsync(9, body: body);
        var payload = await client.ReceiveAsync();
        Assert.NotNull(payload);
        Assert.True(body.AsSpan().SequenceEqual(payload.AsSpan(4)));
    }

    /// <summary>
    /// Large frames are received straight into their buffers and large responses sent from theirs
    /// (KafkaConnection's direct paths); mixed with small frames in one send, every payload
    /// arrives intact and in request order.
    /// </summary>
    [Fact]
    public async Task LargeAndSmallFramesInterleavedKeepOrderAndContent()
    {
        var dispatcher = new FakeDispatcher();
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        var bodies = RandomBodies(11, 10, 300_000, 5, 70_000, 65_524, 2_000_000, 1);
        await client.SendAsync([.. bodies.SelectMany((body, i) => TestClient.Frame(3, i, body))]);
        for (var i = 0; i < bodies.Length; i++)
        {
            var payload = await client.ReceiveAsync();
            Assert.NotNull(payload);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(payload));
            Assert.True(bodies[i].AsSpan().SequenceEqual(payload.AsSpan(4)), $"payload {i} differs");
        }
    }

    /// <summary>
    /// Frames that send large records from their own buffers (a fetch's gather write), mixed with
    /// copied ones: every payload arrives intact and in order, and each frame releases its records
    /// once, after it was sent.
    /// </summary>
    [Fact]
    public async Task GatheredFramesArriveIntactInOrderAndReleaseTheirRecordsAfterSending()
    {
        var released = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var dispatcher = new FakeDispatcher((ctx, frame, _) =>
        {
            var body = frame.Span[8..].ToArray();
            var id = ctx.CorrelationId;
            var gather = ResponseFrame.Gathers(body);
            var response = gather
                ? ResponseFrame.RentGathered(4 + 4 + body.Length + 1, body.Length, () => released.AddOrUpdate(id, 1, (_, n) => n + 1))
                : ResponseFrame.Rent(4 + 4 + body.Length + 1);
            var writer = new KafkaWriter(response.Span, gather ? response : null);
            writer.WriteInt32(id);
            writer.WriteRecords(body);
            writer.WriteInt8(0x7F);
            return ValueTask.FromResult<ResponseFrame?>(response);
        });
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        var bodies = RandomBodies(13, 10, ResponseFrame.GatherMinBytes, 5, 70_000, 3_000_000, 200, 40_000);
        await client.SendAsync([.. bodies.SelectMany((body, i) => TestClient.Frame(3, i, body))]);
        for (var i = 0; i < bodies.Length; i++)
        {
            var payload = await client.ReceiveAsync();
            Assert.NotNull(payload);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(payload));
            Assert.Equal(bodies[i].Length, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));
            Assert.True(bodies[i].AsSpan().SequenceEqual(payload.AsSpan(8, bodies[i].Length)), $"payload {i} differs");
            Assert.Equal(0x7F, payload[^1]);
        }

        var gathered = Enumerable.Range(0, bodies.Length).Where(i => ResponseFrame.Gathers(bodies[i])).ToArray();
        Assert.Equal([1, 3, 4, 6], gathered);
        await WaitUntil(() => released.Count == gathered.Length);
        Assert.All(gathered, i => Assert.Equal(1, released[i]));
    }

    [Fact]
    public async Task ClientClosingInsideALargeFrameDoesNotDisturbOthers()
    {
        var dispatcher = new FakeDispatcher();
        await using var server = TestServer.Start(dispatcher);
        await using (var leaving = await TestClient.ConnectAsync(server.Port))
        {
            var frame = TestClient.Frame(3, 1, new byte[500_000]);
            await leaving.SendAsync(frame[..200_000]);
        }

        await using var client = await TestClient.ConnectAsync(server.Port);
        await client.SendRequestAsync(2, body: new byte[100_000]);
        Assert.Equal(2, await client.ReceiveCorrelationIdAsync());
        Assert.DoesNotContain(dispatcher.Seen, ctx => ctx.CorrelationId == 1);
    }

    [Fact]
    public async Task OversizedFrameClosesOnlyThatConnection()
    {
        var dispatcher = new FakeDispatcher();
        await using var server = TestServer.Start(dispatcher, new SocketServerOptions { MaxRequestBytes = 1024 });
        await using var good = await TestClient.ConnectAsync(server.Port);
        await using var bad = await TestClient.ConnectAsync(server.Port);

        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, 1025);
        await bad.SendAsync(header); // only the size: the server must refuse before waiting for the body
        Assert.True(await bad.IsClosedByServerAsync());
        Assert.Empty(dispatcher.Seen);

        await good.SendRequestAsync(5, body: new byte[1016]); // exactly at the limit
        Assert.Equal(5, await good.ReceiveCorrelationIdAsync());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(7)]
    public async Task MalformedSizeClosesOnlyThatConnection(int size)
    {
        var dispatcher = new FakeDispatcher();
        await using var server = TestServer.Start(dispatcher);
        await using var good = await TestClient.ConnectAsync(server.Port);
        await using var bad = await TestClient.ConnectAsync(server.Port);

        var garbage = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(garbage, size);
        await bad.SendAsync(garbage);
        Assert.True(await bad.IsClosedByServerAsync());

        await good.SendRequestAsync(1);
        Assert.Equal(1, await good.ReceiveCorrelationIdAsync());
        Assert.Equal(1, Assert.Single(dispatcher.Seen).CorrelationId);
    }

    [Fact]
    public async Task ProtocolExceptionClosesConnectionAfterEarlierResponses()
    {
        var dispatcher = new FakeDispatcher((ctx, frame, ct) => ctx.CorrelationId == 2
            ? throw new ProtocolException(ProtocolError.UnsupportedVersion, "bad version")
            : ValueTask.FromResult<ResponseFrame?>(FakeDispatcher.Echo(ctx, frame)));
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        await using var other = await TestClient.ConnectAsync(server.Port);

        await client.SendAsync([.. TestClient.Frame(0, 1), .. TestClient.Frame(0, 2), .. TestClient.Frame(0, 3)]);
        Assert.Equal(1, await client.ReceiveCorrelationIdAsync());
        Assert.Null(await client.ReceiveAsync());

        await other.SendRequestAsync(7);
        Assert.Equal(7, await other.ReceiveCorrelationIdAsync());
    }

    [Fact]
    public async Task UnexpectedHandlerFailureClosesConnectionButServerSurvives()
    {
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            await Task.Yield();
            return ctx.CorrelationId == 1 ? throw new InvalidOperationException("bug") : FakeDispatcher.Echo(ctx, frame);
        });
        await using var server = TestServer.Start(dispatcher);
        await using (var client = await TestClient.ConnectAsync(server.Port))
        {
            await client.SendRequestAsync(1);
            Assert.Null(await client.ReceiveAsync());
        }

        await using var next = await TestClient.ConnectAsync(server.Port);
        await next.SendRequestAsync(2);
        Assert.Equal(2, await next.ReceiveCorrelationIdAsync());
    }

    [Fact]
    public async Task IdleConnectionsAreReapedButBusyOnesAreNot()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            await release.Task;
            return FakeDispatcher.Echo(ctx, frame);
        });
        var observer = new RecordingObserver();

        // Long enough that a loaded machine (a CI run: test assemblies in parallel, a starved
        // thread pool) still reads the busy client's first request before that client counts as
        // idle; at 600 ms one run lost it to the reaper.
        var idleTimeout = TimeSpan.FromSeconds(2);
        await using var server = TestServer.Start(dispatcher, new SocketServerOptions { IdleTimeout = idleTimeout }, observer);
        await using var busy = await TestClient.ConnectAsync(server.Port);
        await busy.SendRequestAsync(1);
        await WaitUntil(() => dispatcher.Seen.Count == 1);
        await using var idle = await TestClient.ConnectAsync(server.Port);

        Assert.True(await idle.IsClosedByServerAsync());
        await Task.Delay(idleTimeout + TimeSpan.FromMilliseconds(200));
        Assert.Equal([CloseReason.Idle], observer.Closed);
        release.SetResult();
        Assert.Equal(1, await busy.ReceiveCorrelationIdAsync());
    }

    [Fact]
    public async Task ThousandConcurrentConnectionsEachGetTheirAnswer()
    {
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            await Task.Yield();
            return FakeDispatcher.Echo(ctx, frame);
        });
        await using var server = TestServer.Start(dispatcher);
        const int count = 1200;
        var clients = new TestClient[count];
        try
        {
            for (int i = 0; i < count; i += 100)
            {
                var batch = await Task.WhenAll(Enumerable.Range(i, 100).Select(_ => TestClient.ConnectAsync(server.Port)));
                batch.CopyTo(clients, i);
            }

            await WaitUntil(() => server.Server.ActiveConnections == count);
            var answers = await Task.WhenAll(clients.Select(async (c, i) =>
            {
                await c.SendRequestAsync(i, body: BitConverter.GetBytes(i));
                var payload = await c.ReceiveAsync();
                return payload is not null && BinaryPrimitives.ReadInt32BigEndian(payload) == i && BitConverter.ToInt32(payload, 4) == i;
            }));
            Assert.All(answers, Assert.True);
        }
        finally
        {
            foreach (var c in clients)
            {
                if (c is not null)
                {
                    await c.DisposeAsync();
                }
            }
        }

        await WaitUntil(() => server.Server.ActiveConnections == 0);
    }

    [Fact]
    public async Task GracefulShutdownFinishesInFlightRequestsThenCloses()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            await release.Task;
            return FakeDispatcher.Echo(ctx, frame);
        });
        var server = TestServer.Start(dispatcher);
        int port = server.Port;
        await using var client = await TestClient.ConnectAsync(port);
        await client.SendRequestAsync(11);
        await WaitUntil(() => dispatcher.Seen.Count == 1);

        Task stopping = server.Server.StopAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.False(stopping.IsCompleted);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var late = await TestClient.ConnectAsync(port);
            await late.SendRequestAsync(1);
            if (await late.ReceiveAsync() is null)
            {
                throw new IOException("refused");
            }
        });

        release.SetResult();
        Assert.Equal(11, await client.ReceiveCorrelationIdAsync());
        Assert.True(await client.IsClosedByServerAsync());
        await stopping;
        Assert.Equal(0, server.Server.ActiveConnections);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task ShutdownTimeoutCancelsHandlersThatDoNotFinish()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            using var reg = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        await using var server = TestServer.Start(dispatcher);
        await using var client = await TestClient.ConnectAsync(server.Port);
        await client.SendRequestAsync(1);
        await WaitUntil(() => dispatcher.Seen.Count == 1);

        await server.Server.StopAsync(TimeSpan.FromMilliseconds(200));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task ClientCloseWithRequestsInFlightReleasesEverything()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new FakeDispatcher(async (ctx, frame, ct) =>
        {
            await release.Task;
            return FakeDispatcher.Echo(ctx, frame);
        });
        await using var server = TestServer.Start(dispatcher);
        var client = await TestClient.ConnectAsync(server.Port);
        await client.SendRequestAsync(1);
        await client.SendRequestAsync(2);
        await WaitUntil(() => dispatcher.Seen.Count == 2);
        await client.DisposeAsync();
        release.SetResult();
        await WaitUntil(() => server.Server.ActiveConnections == 0);
    }

    private static byte[][] RandomBodies(int seed, params int[] sizes)
    {
        var random = new Random(seed);
        return sizes.Select(n =>
        {
            var body = new byte[n];
            random.NextBytes(body);
            return body;
        }).ToArray();
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
