using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>What a controller operation decided: the records to commit and the answer to give once they are committed.</summary>
public sealed record ControllerPlan<T>(IReadOnlyList<IMetadataRecord> Records, T Result);
