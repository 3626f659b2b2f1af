using Tributary.Broker.Raft;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Tests.Raft;

/// <summary>
/// A deterministic in-memory cluster for <see cref="RaftNode"/>: a fake clock advanced in fixed
/// steps, a message bus with random delay and drop, network partitions, crashes and restarts,
/// all driven by one seed. After every call into a node it checks the Raft safety invariants:
/// at most one leader per epoch, a high watermark that never goes down (per incarnation), and
/// every committed offset holding the same record batch on every replica.
/// </summary>
public sealed class RaftSimulator
{
    public const int StepMs = 10;

    private readonly Random _random;
    private readonly Dictionary<int, SimulatedReplica> _replicas = [];
    private readonly List<(long DeliverAt, long Sequence, RaftMessage Message)> _inFlight = [];
    private readonly Dictionary<int, int> _leaders = [];
    private readonly Dictionary<long, (int Epoch, uint Crc)> _committed = [];
    private readonly Dictionary<int, int> _group = [];
    private readonly int _seed;
    private readonly Func<int, IRaftLog?, IRaftLog> _openLog;
    private long _sequence;

    /// <param name="openLog">
    /// Opens replica id's log at every start, given the previous instance (null the first time);
    /// by default one <see cref="InMemoryRaftLog"/> is kept for the replica's lifetime.
    /// </param>
    public RaftSimulator(int seed, IReadOnlyList<int> voters, IReadOnlyList<int>? observers = null,
        Func<RaftConfig, RaftConfig>? tune = null, Func<int, IRaftLog?, IRaftLog>? openLog = null)
    {
        _seed = seed;
        _openLog = openLog ?? ((_, previous) => previous ?? new InMemoryRaftLog());
        _random = new Random(seed);
        Voters = voters;
        foreach (var id in voters.Concat(observers ?? []))
        {
            var config = new RaftConfig
            {
                NodeId = id,
                Voters = voters,
                ClusterId = "sim-cluster",
                ElectionTimeoutMs = 150,
                ElectionJitterMs = 150,
                FetchTimeoutMs = 300,
                FetchBackoffMs = 20,
                RequestTimeoutMs = 100,
                ElectionBackoffMs = 30,
            };
            Configs[id] = tune is null ? config : tune(config);
            _replicas[id] = new SimulatedReplica(id, _openLog(id, null));
            Start(id);
        }
    }

    public IReadOnlyList<int> Voters { get; }

    public Dictionary<int, RaftConfig> Configs { get; } = [];

    public long Now { get; private set; }

    /// <summary>Probability that a message is lost.</summary>
    public double DropRate { get; set; }

    /// <summary>Messages take between 0 and this many milliseconds (rounded up to whole steps).</summary>
    public int MaxDelayMs { get; set; } = 20;

    /// <summary>Every message that was delivered, for assertions on the RPCs used.</summary>
    public List<RaftMessage> Delivered { get; } = [];

    public IReadOnlyCollection<SimulatedReplica> Replicas => _replicas.Values;

    public SimulatedReplica this[int id] => _replicas[id];

    public RaftNode Node(int id) => _replicas[id].Node ?? throw new InvalidOperationException($"replica {id} is down");

    /// <summary>The live leader with the highest epoch, if any.</summary>
    public RaftNode? Leader => _replicas.Values
        .Where(r => r.Node is { Role: RaftRole.Leader })
        .Select(r => r.Node!)
        .OrderByDescending(n => n.Epoch)
        .FirstOrDefault();

    /// <summary>Offsets known committed somewhere (for final checks).</summary>
    public IReadOnlyDictionary<long, (int Epoch, uint Crc)> Committed => _committed;

    public void Crash(int id) => _replicas[id].Node = null;

    public void Restart(int id)
    {
        if (!_replicas[id].IsAlive)
        {
            _replicas[id].Incarnation++;
            Start(id);
        }
    }

    /// <summary>Splits the network: replicas in different groups cannot talk. Unlisted replicas form their own group.</summary>
    public void Partition(params int[][] groups)
    {
        _group.Clear();
        foreach (var id in _replicas.Keys)
        {
            _group[id] = -1 - id;
        }

        for (var g = 0; g < groups.Length; g++)
        {
            foreach (var id in groups[g])
            {
                _group[id] = g;
            }
        }
    }

    public void Heal() => _group.Clear();

    public bool CanTalk(int a, int b) => _group.Count == 0 || _group[a] == _group[b];

    /// <summary>Advances the clock one step: delivers due messages, then ticks every live replica.</summary>
    public void Step()
    {
        Now += StepMs;
        var due = _inFlight.Where(m => m.DeliverAt <= Now).OrderBy(m => m.DeliverAt).ThenBy(m => m.Sequence).ToList();
        _inFlight.RemoveAll(m => m.DeliverAt <= Now);
        foreach (var (_, _, message) in due)
        {
            Deliver(message);
        }

        foreach (var replica in _replicas.Values.OrderBy(r => r.Id))
        {
            if (replica.Node is { } node)
            {
                Process(replica, node.Tick(Now));
            }
        }
    }

    public void Run(int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            Step();
        }
    }

    /// <summary>Steps until <paramref name="condition"/> holds; false if it did not within <paramref name="maxSteps"/>.</summary>
    public bool RunUntil(Func<bool> condition, int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (condition())
            {
                return true;
            }

            Step();
        }

        return condition();
    }

    /// <summary>Appends on replica <paramref name="id"/> (which must lead) and routes the output.</summary>
    public RaftAppendResult Append(int id, params string[] values)
    {
        var result = Node(id).Append(Now, values.Select(v => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(v)).ToList());
        Process(_replicas[id], result.Output);
        return result;
    }

    /// <summary>Runs a node API call that returns output (Resign, ...) and routes the output.</summary>
    public void Apply(int id, Func<RaftNode, RaftOutput> call) => Process(_replicas[id], call(Node(id)));

    /// <summary>True when every live replica has the leader's log up to the leader's end and the same high watermark.</summary>
    public bool AllCaughtUp()
    {
        var leader = Leader;
        return leader is not null && _replicas.Values.Where(r => r.IsAlive).All(r =>
            r.Log.EndOffset == leader.Log.EndOffset && r.Node!.HighWatermark == leader.HighWatermark);
    }

    /// <summary>Checks every live replica's committed prefix against the committed record (full scan).</summary>
    public void CheckCommittedPrefixes()
    {
        foreach (var replica in _replicas.Values.Where(r => r.IsAlive))
        {
            RecordCommitted(replica, replica.Log.StartOffset, replica.Node!.HighWatermark);
        }
    }

    private void Start(int id)
    {
        var replica = _replicas[id];
        if (replica.Incarnation > 0)
        {
            replica.Log = _openLog(id, replica.Log);
        }

        replica.Node = new RaftNode(Configs[id], replica.Log, replica.Store, new Random(_seed * 7919 + id * 131 + replica.Incarnation), Now);
        replica.LastHighWatermark = replica.Node.HighWatermark;
    }

    private void Deliver(RaftMessage message)
    {
        var replica = _replicas[message.Destination];
        if (replica.Node is not { } node || !CanTalk(message.Source, message.Destination) || _random.NextDouble() < DropRate)
        {
            return;
        }

        Delivered.Add(message);
        var output = node.Handle(Now, message);
        Process(replica, output);
        if (output.Response is { } response)
        {
            Enqueue(new RaftMessage(message.Destination, message.Source, response));
        }
        else if (message.Body is IApiRequest)
        {
            throw new InvalidOperationException($"replica {message.Destination} did not answer {message.Body.GetType().Name}");
        }
    }

    private void Enqueue(RaftMessage message)
    {
        var delay = MaxDelayMs == 0 ? 0 : _random.Next(MaxDelayMs + 1);
        _inFlight.Add((Now + Math.Max(StepMs, delay), _sequence++, message));
    }

    private void Process(SimulatedReplica replica, RaftOutput output)
    {
        foreach (var message in output.Messages)
        {
            if (message.Source != replica.Id || message.Body is not IApiRequest)
            {
                throw new InvalidOperationException("nodes only send requests, from themselves");
            }

            Enqueue(message);
        }

        if (output.TruncatedTo is not null)
        {
            replica.Truncations++;
        }

        if (output.InstalledSnapshot is not null)
        {
            replica.SnapshotsInstalled++;
        }

        CheckInvariants(replica);
    }

    private void CheckInvariants(SimulatedReplica replica)
    {
        var node = replica.Node!;
        if (node.Role == RaftRole.Leader)
        {
            if (_leaders.TryGetValue(node.Epoch, out var other) && other != node.NodeId)
            {
                throw new InvalidOperationException($"two leaders in epoch {node.Epoch}: {other} and {node.NodeId}");
            }

            _leaders[node.Epoch] = node.NodeId;
        }

        if (node.HighWatermark < replica.LastHighWatermark)
        {
            throw new InvalidOperationException($"replica {replica.Id}: high watermark went from {replica.LastHighWatermark} to {node.HighWatermark}");
        }

        if (node.HighWatermark > replica.LastHighWatermark)
        {
            RecordCommitted(replica, Math.Max(replica.LastHighWatermark, replica.Log.StartOffset), node.HighWatermark);
            replica.LastHighWatermark = node.HighWatermark;
        }
    }

    /// <summary>Every batch in <paramref name="log"/>, read back through <see cref="IRaftLog.Read"/>.</summary>
    public static List<LogBatch> BatchesOf(IRaftLog log)
    {
        var batches = new List<LogBatch>();
        var offset = log.StartOffset;
        while (offset < log.EndOffset)
        {
            var bytes = log.Read(offset, int.MaxValue);
            if (bytes.IsEmpty)
            {
                break;
            }

            foreach (var span in new RecordBatchEnumerator(bytes.Span))
            {
                var batch = new RecordBatch(span);
                if (batch.LastOffset >= offset)
                {
                    batches.Add(new LogBatch(batch.BaseOffset, batch.LastOffset, batch.PartitionLeaderEpoch, batch.Crc, Convert.ToHexString(span)));
                    offset = batch.LastOffset + 1;
                }
            }
        }

        return batches;
    }

    /// <summary>State-machine safety: a committed offset holds the same batch (epoch and CRC) everywhere.</summary>
    private void RecordCommitted(SimulatedReplica replica, long from, long to)
    {
        foreach (var batch in BatchesOf(replica.Log))
        {
            if (batch.LastOffset < from || batch.BaseOffset >= to)
            {
                continue;
            }

            var crc = batch.Crc;
            for (var offset = batch.BaseOffset; offset <= batch.LastOffset; offset++)
            {
                if (_committed.TryGetValue(offset, out var known) && known != (batch.Epoch, crc))
                {
                    throw new InvalidOperationException($"replica {replica.Id} committed a different record at offset {offset} (epoch {batch.Epoch} vs {known.Epoch})");
                }

                _committed[offset] = (batch.Epoch, crc);
            }
        }
    }
}
