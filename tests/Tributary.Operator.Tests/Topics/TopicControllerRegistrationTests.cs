using Microsoft.Extensions.DependencyInjection;
using Tributary.Kube;
using Tributary.Operator.Controllers.Topics;
using Tributary.Operator.Hosting;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class TopicControllerRegistrationTests
{
    [Fact]
    public void AddTopicController_ResolvesAnIControllerFromHostServices()
    {
        using var client = new KubeHttpClient(new KubeConfig { Server = new Uri("http://127.0.0.1:1/"), Namespace = "default", Token = new StaticTokenSource("t") });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IKubeClient>(client);
        services.AddSingleton<IEventRecorder>(new KubeEventRecorder(client, "test"));
        services.AddSingleton<IOperatorMetrics, OperatorMetrics>();
        services.AddSingleton(TimeProvider.System);

        services.AddTopicController(["team-a", "team-b"], TimeSpan.FromSeconds(42));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var controller = Assert.Single(provider.GetServices<IController>());
        Assert.IsType<TopicController>(controller);
        Assert.Equal("topic", controller.Name);
        Assert.False(controller.HasSynced);
        Assert.IsType<KafkaTopicAdminFactory>(provider.GetRequiredService<ITopicAdminFactory>());
        var options = provider.GetRequiredService<TopicControllerOptions>();
        Assert.Equal(["team-a", "team-b"], options.Namespaces);
        Assert.Equal(TimeSpan.FromSeconds(42), options.ResyncPeriod);
    }

    [Fact]
    public void AddTopicController_KeepsARegisteredAdminFactory_AndReadsOperatorNamespaces()
    {
        var services = new ServiceCollection();
        var fake = new InMemoryKafka();
        services.AddSingleton<ITopicAdminFactory>(fake);
        services.AddSingleton(new OperatorOptions { WatchNamespaces = ["kafka"] });
        services.AddTopicController();
        using var provider = services.BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<ITopicAdminFactory>());
        var options = provider.GetRequiredService<TopicControllerOptions>();
        Assert.Equal(TimeSpan.FromSeconds(60), options.ResyncPeriod);
        Assert.Equal(["kafka"], options.Namespaces);
    }
}
