using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>
/// An in-process Kubernetes API server for tests: Kestrel on 127.0.0.1 (random port, plain HTTP) in front
/// of an in-memory <see cref="ObjectStore"/>. Good enough for our client and for the real kubectl.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _workloadLoop;

    private FakeApiServer(WebApplication app, ObjectStore store, FakeWorkloadController workloads, Uri baseAddress, FakeApiServerOptions options)
    {
        _app = app;
        Store = store;
        Workloads = workloads;
        BaseAddress = baseAddress;
        if (options.SimulateWorkloads)
        {
            _workloadLoop = Task.Run(() => workloads.RunAsync(options.WorkloadInterval, _stopping.Token));
        }
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    /// <summary>Direct access to the stored objects (bypassing HTTP), e.g. to seed or inspect state.</summary>
    public ObjectStore Store { get; }

    /// <summary>The fake StatefulSet/Deployment controller and kubelet; call ReconcileOnce() for deterministic tests.</summary>
    public FakeWorkloadController Workloads { get; }

    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeApiServerOptions();
        var registry = new ResourceRegistry();
        var store = new ObjectStore(registry, options.TimeProvider, options.HistoryLimit);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        var app = builder.Build();
        Uri? address = null;
        var handler = new ApiRequestHandler(store, options, options.TimeProvider, () => address is null ? "127.0.0.1" : address.Authority);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        return new FakeApiServer(app, store, new FakeWorkloadController(store, options.TimeProvider), address, options);
    }

    /// <summary>Connection settings for <see cref="KubeHttpClient"/>.</summary>
    public KubeConfig ClientConfig(string defaultNamespace = "default") => new()
    {
        Server = BaseAddress,
        Namespace = defaultNamespace,
        Token = new StaticTokenSource("fake-token"),
    };

    public KubeHttpClient CreateClient(string defaultNamespace = "default") => new(ClientConfig(defaultNamespace));

    /// <summary>Writes a kubeconfig pointing at this server (context "fake", namespace default).</summary>
    public void WriteKubeconfig(string path, string defaultNamespace = "default")
    {
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {BaseAddress.GetLeftPart(UriPartial.Authority)}
            users:
            - name: fake
              user:
                token: fake-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {defaultNamespace}
            current-context: fake
            """;
        File.WriteAllText(path, text + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_workloadLoop is not null)
        {
            try
            {
                await _workloadLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected on shutdown.
            }
        }
        Store.CloseWatches();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
