using System.Net;
using Tributary.Broker.Tests.Network;
using Tributary.Server;
using Xunit;

namespace Tributary.Broker.Tests.Server;

public sealed class ProgramTests
{
    private static readonly IReadOnlyDictionary<string, string> NoEnv = new Dictionary<string, string>();

    [Fact]
    public async Task InvalidConfigIsRefusedWithExitCode2AndNamesKeyAndValue()
    {
        using var config = new TempConfig(TempConfig.Valid + "\nnum.partitions=many\n");
        var (code, _, err) = await Run(["broker", "--config", config.Path]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'num.partitions' = 'many'", err, StringComparison.Ordinal);
        Assert.Contains("expected an integer", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverrideAndEnvironmentAreAppliedBeforeValidation()
    {
        using var config = new TempConfig(TempConfig.Valid);
        var (code, _, err) = await Run(["broker", "--config", config.Path, "--override", "log.segment.bytes=-1"]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("log.segment.bytes", err, StringComparison.Ordinal);

        (code, _, err) = await Run(["broker", "--config", config.Path], new Dictionary<string, string> { ["KAFKA_MIN_INSYNC_REPLICAS"] = "0" });
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("min.insync.replicas", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "usage: tributary")]
    [InlineData(new[] { "broker" }, "needs --config")]
    [InlineData(new[] { "broker", "--config" }, "--config needs a value")]
    [InlineData(new[] { "broker", "--config", "/nonexistent/server.properties" }, "cannot read the file")]
    [InlineData(new[] { "broker", "--config", "x", "--bogus" }, "unknown argument '--bogus'")]
    [InlineData(new[] { "broker", "--config", "x", "--override", "novalue" }, "key=value")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "dev" }, "dev needs --data")]
    [InlineData(new[] { "dev", "--data", "/tmp/x", "--brokers", "0" }, "--brokers must be")]
    [InlineData(new[] { "connect" }, "not available yet")]
    [InlineData(new[] { "replicator" }, "not available yet")]
    public async Task BadCommandLinesExitWith2(string[] args, string message)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpExitsZero()
    {
        var (code, output, _) = await Run(["--help"]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("broker", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerStartsServesMetricsAndStopsCleanly()
    {
        using var config = new TempConfig(TempConfig.Valid);
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<BrokerRuntime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var io = new CommandIO(TextWriter.Null, new StringWriter(), NoEnv);
        Task<int> run = Program.RunAsync(["broker", "--config", config.Path], io, stop.Token, started.SetResult);
        var runtime = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["some.unknown.key"], runtime.Config.UnknownKeys);
        Assert.Equal(2, runtime.Server.BoundListeners.Count);
        using var http = new HttpClient();
        // Ready once the node has elected itself and the controller unfenced it, moments after start.
        var readyUri = new Uri($"http://127.0.0.1:{runtime.MetricsEndpoint!.EndPoint.Port}/ready");
        var ready = await http.GetAsync(readyUri);
        for (var i = 0; i < 300 && ready.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            ready = await http.GetAsync(readyUri);
        }

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        var metricsUri = new Uri($"http://127.0.0.1:{runtime.MetricsEndpoint.EndPoint.Port}/metrics");
        var apiVersionsBefore = ApiVersionsCount(await http.GetStringAsync(metricsUri));

        // Until the request layer exists every request closes its connection.
        await using (var client = await TestClient.ConnectAsync(runtime.Server.GetBoundPort("PLAINTEXT")))
        {
            await client.SendRequestAsync(1, apiKey: 18);
            Assert.Null(await client.ReceiveAsync());
        }

        // Counted with the node's own ApiVersions (it registers with its controller, itself, over the CONTROLLER listener).
        Assert.True(ApiVersionsCount(await http.GetStringAsync(metricsUri)) >= apiVersionsBefore + 1);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static double ApiVersionsCount(string metrics)
    {
        const string prefix = "kafka_network_requestmetrics_requests_total{request=\"ApiVersions\"} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int Code, string Out, string Err)> Run(string[] args, IReadOnlyDictionary<string, string>? env = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await Program.RunAsync(args, new CommandIO(output, error, env ?? NoEnv), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
