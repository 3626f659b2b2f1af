using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Kube;
using Tributary.Operator.Controllers;
using Tributary.Operator.Controllers.Topics;
using Tributary.Operator.Rolling;

namespace Tributary.Operator.Hosting;

/// <summary>
/// Builds the operator process: the generic host with JSON console logs, the controllers behind leader
/// election (<see cref="ControllerManager"/>), and Kestrel serving /healthz, /readyz and /metrics on the
/// health and metrics ports.
/// </summary>
public static class OperatorHost
{
    /// <param name="options">Settings (see <see cref="OperatorOptions.FromEnvironment"/>).</param>
    /// <param name="client">Kubernetes API client shared by every controller.</param>
    /// <param name="configureServices">Last-word service overrides (tests replace the safety probe here).</param>
    /// <param name="configureLogging">Logging overrides; by default JSON lines on the console.</param>
    public static WebApplication Build(
        OperatorOptions options, IKubeClient client, Action<IServiceCollection>? configureServices = null, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "tributary-operator" });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            foreach (var port in new[] { options.HealthPort, options.MetricsPort }.Distinct())
            {
                if (options.LoopbackOnly)
                {
                    k.Listen(IPAddress.Loopback, port);
                }
                else
                {
                    k.ListenAnyIP(port);
                }
            }
        });

        builder.Logging.SetMinimumLevel(options.LogLevel);
        if (configureLogging is null)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = false;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            configureLogging(builder.Logging);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(client);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorState>();
        services.AddSingleton<IOperatorMetrics, OperatorMetrics>();
        services.AddSingleton<IEventRecorder>(sp => new KubeEventRecorder(client, "tributary-operator", options.Identity, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClusterSafetyProbe>(sp => new KafkaSafetyProbe(new PodReadinessSafetyProbe(client), time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new KafkaClusterControllerOptions
        {
            Namespaces = options.WatchNamespaces,
            DefaultImageRepository = options.BrokerImageRepository,
            DefaultVersion = options.BrokerVersion,
            TimeProvider = sp.GetRequiredService<TimeProvider>(),
        });
        RegisterControllers(services, options);
        services.AddSingleton<ControllerManager>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerManager>());
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Run(context => HandleAsync(context, app.Services));
        return app;
    }

    /// <summary>Every controller the operator runs while leading; each is an <see cref="IController"/>.</summary>
    public static void RegisterControllers(IServiceCollection services, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<IController, KafkaClusterController>();
        services.AddTopicController(options.WatchNamespaces);
    }

    /// <summary>The http://host:port/ addresses Kestrel bound (after StartAsync), health port first.</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses.Select(a => new Uri(a.EndsWith('/') ? a : a + "/")).ToList();
    }

    private static async Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        var state = services.GetRequiredService<OperatorState>();
        var manager = services.GetRequiredService<ControllerManager>();
        switch (context.Request.Path.Value)
        {
            case "/healthz":
                await Plain(context, state.Failed ? 500 : 200, state.Failed ? "a controller crashed\n" : "ok\n").ConfigureAwait(false);
                break;
            case "/readyz":
                // Ready as a standby once the lease was looked at, or as leader once every cache is synced.
                var ready = !state.Failed && state.ElectionStarted && (!state.Leading || manager.ControllersSynced);
                var role = state.Leading ? "leader" : "standby";
                await Plain(context, ready ? 200 : 503, ready ? $"ok ({role})\n" : $"not ready ({role})\n").ConfigureAwait(false);
                break;
            case "/metrics":
                using (var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture))
                {
                    services.GetRequiredService<IOperatorMetrics>().WriteTo(writer);
                    context.Response.ContentType = PrometheusTextWriter.ContentType;
                    await context.Response.WriteAsync(writer.ToString()).ConfigureAwait(false);
                }

                break;
            default:
                await Plain(context, 404, "not found\n").ConfigureAwait(false);
                break;
        }
    }

    private static Task Plain(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }
}
