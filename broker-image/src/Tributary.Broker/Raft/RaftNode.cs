using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>
/// One replica of a KRaft metadata quorum (KIP-595) as a deterministic state machine: no sockets,
/// threads or clocks. The caller feeds it time (<see cref="Tick"/>), peer messages
/// (<see cref="Handle"/>) and, on the leader, new records (<see cref="Append"/>); every call
/// returns a <see cref="RaftOutput"/> with the requests to send and the effects that happened.
/// Log and quorum-state writes go straight to the injected <see cref="IRaftLog"/> and
/// <see cref="IQuorumStateStore"/>, which must be durable when they return.
/// </summary>
/// <remarks>
/// Replication is pull-based as in KRaft: followers (and observers) send Fetch with their log end
/// offset and the epoch of their last record; the leader checks that pair against its own log and
/// either returns records, tells the follower where its log diverges, or points it at a snapshot.
/// A follower's fetch offset doubles as its acknowledgement, from which the leader derives the
/// high watermark. The partial-class files split the protocol by RPC.
/// </remarks>
public sealed partial class RaftNode
{
    private readonly RaftConfig _config;
    private readonly IRaftLog _log;
    private readonly IQuorumStateStore _store;
    private readonly Random _random;

    private int _epoch;
    private int _votedId = -1;
    private int _leaderId = -1;
    private long _highWatermark;
    private long _electionDeadline;

    public RaftNode(RaftConfig config, IRaftLog log, IQuorumStateStore store, Random random, long now)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        if (config.Voters.Count == 0 || config.Voters.Distinct().Count() != config.Voters.Count)
        {
            throw new ArgumentException("the voter set must be non-empty and without duplicates", nameof(config));
        }

        _config = config;
        _log = log;
        _store = store;
        _random = random;
        _highWatermark = log.LatestSnapshot?.EndOffset ?? 0;
        Restore(store.Load(), now);
    }

    public int NodeId => _config.NodeId;

    public bool IsVoter => _config.IsVoter(_config.NodeId);

    public RaftRole Role { get; private set; }

    public int Epoch => _epoch;

    /// <summary>The leader of the current epoch as far as this replica knows, or -1.</summary>
    public int LeaderId => _leaderId;

    /// <summary>The candidate this replica voted for in the current epoch, or -1.</summary>
    public int VotedId => _votedId;

    /// <summary>Records below this offset are committed (replicated to a majority) and may be applied.</summary>
    public long HighWatermark => _highWatermark;

    /// <summary>The log this node replicates (read it to apply committed records).</summary>
    public IRaftLog Log => _log;

    /// <summary>Advances timers: elections, fetches, resends and the leader's quorum check.</summary>
    public RaftOutput Tick(long now)
    {
        var output = new RaftOutput();
        switch (Role)
        {
            case RaftRole.Leader:
                TickLeader(now, output);
                break;
            case RaftRole.Candidate:
                TickCandidate(now, output);
                break;
            case RaftRole.Follower:
                TickFollower(now, output);
                break;
            default:
                TickWaiting(now, output);
                break;
        }

        return output;
    }

    /// <summary>
    /// Processes a request or response from another replica. For a request,
    /// <see cref="RaftOutput.Response"/> carries the answer to send back to <see cref="RaftMessage.Source"/>.
    /// </summary>
    public RaftOutput Handle(long now, RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var output = new RaftOutput();
        switch (message.Body)
        {
            case VoteRequest request:
                output.Response = HandleVoteRequest(now, request, output);
                break;
            case VoteResponse response:
                HandleVoteResponse(now, message.Source, response, output);
                break;
            case BeginQuorumEpochRequest request:
                output.Response = HandleBeginQuorumEpochRequest(now, request, output);
                break;
            case BeginQuorumEpochResponse response:
                HandleBeginQuorumEpochResponse(now, message.Source, response, output);
                break;
            case EndQuorumEpochRequest request:
                output.Response = HandleEndQuorumEpochRequest(now, request, output);
                break;
            case EndQuorumEpochResponse response:
                HandleEndQuorumEpochResponse(now, response, output);
                break;
            case FetchRequest request:
                output.Response = HandleFetchRequest(now, request, output);
                break;
            case FetchResponse response:
                HandleFetchResponse(now, message.Source, response, output);
                break;
            case FetchSnapshotRequest request:
                output.Response = HandleFetchSnapshotRequest(now, request, output);
                break;
            case FetchSnapshotResponse response:
                HandleFetchSnapshotResponse(now, message.Source, response, output);
                break;
            case DescribeQuorumRequest request:
                output.Response = HandleDescribeQuorumRequest(request);
                break;
            default:
                throw new ArgumentException($"{message.Body.GetType().Name} is not a KRaft RPC", nameof(message));
        }

        return output;
    }

    /// <summary>A random election timeout from now: the base plus jitter, so replicas rarely time out together.</summary>
    private long RandomElectionDeadline(long now) =>
        now + _config.ElectionTimeoutMs + _random.Next(_config.ElectionJitterMs + 1);

    private void Send(RaftOutput output, int destination, IApiRequest request) =>
        output.Messages.Add(new RaftMessage(_config.NodeId, destination, request));

    private IEnumerable<int> OtherVoters()
    {
        foreach (var voter in _config.Voters)
        {
            if (voter != _config.NodeId)
            {
                yield return voter;
            }
        }
    }
}
