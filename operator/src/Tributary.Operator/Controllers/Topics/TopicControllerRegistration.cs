using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Operator.Hosting;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>Registers the topic controller with the operator host's services.</summary>
public static class TopicControllerRegistration
{
    /// <summary>
    /// Adds <see cref="TopicController"/> as an <see cref="IController"/>, with the real Kafka admin
    /// (<see cref="KafkaTopicAdminFactory"/>) unless an <see cref="ITopicAdminFactory"/> is already registered.
    /// Needs IKubeClient, IEventRecorder, IOperatorMetrics, TimeProvider and logging, which the host provides.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="namespaces">Namespaces to watch (empty: all); null takes the registered OperatorOptions.WatchNamespaces.</param>
    /// <param name="resyncPeriod">How often each Topic is compared with Kafka without a change (default 60 s).</param>
    public static IServiceCollection AddTopicController(this IServiceCollection services, IReadOnlyList<string>? namespaces = null, TimeSpan? resyncPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ITopicAdminFactory>(_ => new KafkaTopicAdminFactory());
        services.AddSingleton(sp =>
        {
            var defaults = new TopicControllerOptions();
            return new TopicControllerOptions
            {
                Namespaces = namespaces ?? sp.GetService<OperatorOptions>()?.WatchNamespaces ?? [],
                ResyncPeriod = resyncPeriod ?? defaults.ResyncPeriod,
                TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System,
            };
        });
        services.AddSingleton<IController, TopicController>();
        return services;
    }
}
