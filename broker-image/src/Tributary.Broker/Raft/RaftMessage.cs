using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>
/// A KRaft RPC between two replicas: a generated request or response object with its sender
/// and addressee node ids. The transport turns requests into Kafka requests and hands responses
/// back with <see cref="Source"/> set to the replica that answered.
/// </summary>
public sealed record RaftMessage(int Source, int Destination, IApiMessage Body);
