namespace Tributary.Operator.Rendering;

/// <summary>A KRaft voter as it appears in controller.quorum.voters: id@host:port.</summary>
public sealed record QuorumVoter(int Id, string Host, int Port);
