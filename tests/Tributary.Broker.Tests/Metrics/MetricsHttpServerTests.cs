using System.Net;
using System.Net.Sockets;
using System.Text;
using Tributary.Broker.Metrics;
using Xunit;

namespace Tributary.Broker.Tests.Metrics;

public sealed class MetricsHttpServerTests
{
    [Fact]
    public async Task ServesMetricsHealthAndReadiness()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("hits_total", "Hits.").WithLabels().Inc(3);
        bool ready = false;
        await using var server = new MetricsHttpServer(new IPEndPoint(IPAddress.Loopback, 0), registry, () => ready);
        server.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.EndPoint.Port}") };

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        Assert.Contains("hits_total 3\n", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode);
        ready = true;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/ready?verbose=1", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/nope", UriKind.Relative))).StatusCode);
        using var post = await http.PostAsync(new Uri("/metrics", UriKind.Relative), new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task GarbageRequestGetsBadRequest()
    {
        await using var server = new MetricsHttpServer(new IPEndPoint(IPAddress.Loopback, 0), new MetricsRegistry(), () => true);
        server.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint);
        await socket.SendAsync("HELLO\r\n\r\n"u8.ToArray());
        var buffer = new byte[256];
        int n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
    }
}
