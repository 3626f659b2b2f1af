using Tributary.Broker.Raft;

namespace Tributary.Broker.Tests.Raft;

/// <summary>One replica in <see cref="RaftSimulator"/>: durable log and quorum state, plus the live node (null while crashed).</summary>
public sealed class SimulatedReplica
{
    public SimulatedReplica(int id, IRaftLog log)
    {
        Id = id;
        Log = log;
    }

    public int Id { get; }

    /// <summary>Survives crashes, like an fsynced disk (a disk-backed log is reopened on restart).</summary>
    public IRaftLog Log { get; set; }

    /// <summary>Survives crashes, like the quorum-state file.</summary>
    public InMemoryQuorumStateStore Store { get; } = new();

    public RaftNode? Node { get; set; }

    public bool IsAlive => Node is not null;

    /// <summary>Incremented on every restart (seeds the node's random source).</summary>
    public int Incarnation { get; set; }

    /// <summary>The high watermark last seen for this incarnation (it must never go down).</summary>
    public long LastHighWatermark { get; set; }

    public int Truncations { get; set; }

    public int SnapshotsInstalled { get; set; }
}
