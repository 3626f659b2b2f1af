using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>The outcome of planning a BrokerRegistration: an error, or the records and the new broker epoch.</summary>
public sealed record BrokerRegistrationPlan(ErrorCode Error, string? Message, IReadOnlyList<IMetadataRecord> Records, long BrokerEpoch);
