namespace Tributary.Broker.Raft;

/// <summary>Thrown by <see cref="RaftNode.Append"/> on a replica that is not the leader.</summary>
public sealed class RaftNotLeaderException : InvalidOperationException
{
    public RaftNotLeaderException()
    {
    }

    public RaftNotLeaderException(string message)
        : base(message)
    {
    }

    public RaftNotLeaderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RaftNotLeaderException(int leaderId, int epoch)
        : base($"not the leader; leader of epoch {epoch} is {leaderId}")
    {
        LeaderId = leaderId;
        Epoch = epoch;
    }

    /// <summary>The leader this replica knows, or -1.</summary>
    public int LeaderId { get; } = -1;

    /// <summary>This replica's current epoch.</summary>
    public int Epoch { get; }
}
