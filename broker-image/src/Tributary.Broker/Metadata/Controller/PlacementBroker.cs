namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// A live broker as the <see cref="ReplicaPlacer"/> sees it: its id and rack. A null rack means the
/// broker registered without <c>broker.rack</c>; all such brokers form one "no rack" group.
/// </summary>
public readonly record struct PlacementBroker(int Id, string? Rack);
