namespace Tributary.Operator.Rendering;

/// <summary>Identifies one broker on one external listener (spec.listeners[].name).</summary>
public readonly record struct BrokerListenerKey(string Listener, int BrokerId);
