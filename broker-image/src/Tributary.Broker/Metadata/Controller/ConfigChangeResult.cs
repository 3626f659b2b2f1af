using Tributary.Protocol;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>The outcome for one resource of AlterConfigs / IncrementalAlterConfigs.</summary>
public sealed record ConfigChangeResult(sbyte ResourceType, string ResourceName, ErrorCode Error, string? Message);
