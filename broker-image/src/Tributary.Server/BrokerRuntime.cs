using Tributary.Broker.Config;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;

namespace Tributary.Server;

/// <summary>A running broker's parts, handed to start-up observers (tests, <c>tributary dev</c>) to find bound ports.</summary>
public sealed record BrokerRuntime(BrokerConfig Config, SocketServer Server, MetricsHttpServer? MetricsEndpoint, BrokerMetrics Metrics);
