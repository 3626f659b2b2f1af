namespace Tributary.Broker.Metadata;

/// <summary>An advertised listener of a broker.</summary>
public sealed record BrokerEndpoint(string ListenerName, string Host, int Port, string SecurityProtocol);
