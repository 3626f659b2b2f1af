using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>Snapshots: creating one at a committed offset, serving and installing them with FetchSnapshot.</summary>
public sealed partial class RaftNode
{
    private SnapshotDownload? _snapshotDownload;

    /// <summary>
    /// Stores <paramref name="state"/> (the state machine after applying every record below
    /// <paramref name="endOffset"/>) as a snapshot and drops those records from the log. Only
    /// committed offsets qualify: a snapshot must never contain a record that could be truncated.
    /// </summary>
    public RaftSnapshotId CreateSnapshot(long endOffset, ReadOnlySpan<byte> state)
    {
        if (endOffset > _highWatermark)
        {
            throw new ArgumentOutOfRangeException(nameof(endOffset), $"snapshot end {endOffset} is above the high watermark {_highWatermark}");
        }

        if (endOffset <= _log.StartOffset || !_log.IsBatchBoundary(endOffset))
        {
            throw new ArgumentOutOfRangeException(nameof(endOffset), $"snapshot end {endOffset} is not a batch boundary above the log start {_log.StartOffset}");
        }

        var epoch = _log.EpochOf(endOffset - 1)
            ?? throw new ArgumentOutOfRangeException(nameof(endOffset), $"offset {endOffset - 1} is not in the log");
        var id = new RaftSnapshotId(endOffset, epoch);
        _log.CreateSnapshot(id, state);
        return id;
    }

    private FetchSnapshotRequest FetchSnapshotRequestFor(SnapshotDownload download) => new()
    {
        ClusterId = _config.ClusterId,
        ReplicaId = NodeId,
        MaxBytes = _config.SnapshotChunkBytes,
        Topics =
        [
            new FetchSnapshotRequest.TopicSnapshot
            {
                Name = _config.TopicName,
                Partitions =
                [
                    new FetchSnapshotRequest.PartitionSnapshot
                    {
                        CurrentLeaderEpoch = _epoch,
                        SnapshotId = new FetchSnapshotRequest.SnapshotId { EndOffset = download.Id.EndOffset, Epoch = download.Id.Epoch },
                        Position = download.Position,
                    },
                ],
            },
        ],
    };

    private FetchSnapshotResponse HandleFetchSnapshotRequest(long now, FetchSnapshotRequest request, RaftOutput output)
    {
        var error = CheckRequest(request.ClusterId, request.Topics.Count == 1 ? request.Topics[0].Name : null,
            request.Topics.Count == 1 ? request.Topics[0].Partitions.Count : 0);
        if (error != ErrorCode.None)
        {
            return new FetchSnapshotResponse { ErrorCode = (short)error };
        }

        var wanted = request.Topics[0].Partitions[0];
        if (wanted.CurrentLeaderEpoch > _epoch)
        {
            ObserveEpoch(wanted.CurrentLeaderEpoch, -1, now, output);
        }

        var id = new RaftSnapshotId(wanted.SnapshotId.EndOffset, wanted.SnapshotId.Epoch);
        var answer = new FetchSnapshotResponse.PartitionSnapshot
        {
            SnapshotId = new FetchSnapshotResponse.SnapshotId { EndOffset = id.EndOffset, Epoch = id.Epoch },
            CurrentLeader = new FetchSnapshotResponse.LeaderIdAndEpoch { LeaderId = AdvertisedLeaderId, LeaderEpoch = _epoch },
            Position = wanted.Position,
        };

        if (wanted.CurrentLeaderEpoch < _epoch)
        {
            answer.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
        }
        else if (Role != RaftRole.Leader)
        {
            answer.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
        }
        else if (!_log.TryReadSnapshot(id, out var state))
        {
            answer.ErrorCode = (short)ErrorCode.SnapshotNotFound;
        }
        else if (wanted.Position < 0 || wanted.Position > state.Length)
        {
            answer.ErrorCode = (short)ErrorCode.PositionOutOfRange;
        }
        else
        {
            var limit = request.MaxBytes > 0 ? Math.Min(request.MaxBytes, _config.SnapshotChunkBytes) : _config.SnapshotChunkBytes;
            var position = (int)wanted.Position;
            answer.SizeValue = state.Length;
            answer.UnalignedRecords = state.Slice(position, Math.Min(limit, state.Length - position));
            if (request.ReplicaId >= 0)
            {
                ProgressOf(request.ReplicaId).LastFetchTime = now; // still fetching: counts for the quorum check
            }
        }

        return new FetchSnapshotResponse
        {
            Topics = [new FetchSnapshotResponse.TopicSnapshot { Name = _config.TopicName, Partitions = [answer] }],
        };
    }

    private void HandleFetchSnapshotResponse(long now, int source, FetchSnapshotResponse response, RaftOutput output)
    {
        var expected = _fetchInFlight && source == _fetchTarget;
        if (expected)
        {
            _fetchInFlight = false;
            _nextFetchAt = now + _config.FetchBackoffMs;
        }

        if (response.ErrorCode != 0 || response.Topics.Count != 1 || response.Topics[0].Partitions.Count != 1)
        {
            return;
        }

        var answer = response.Topics[0].Partitions[0];
        ObserveEpoch(answer.CurrentLeader.LeaderEpoch, answer.CurrentLeader.LeaderId, now, output);
        if (!expected || Role != RaftRole.Follower || source != _leaderId || answer.CurrentLeader.LeaderEpoch != _epoch
            || _snapshotDownload is not { } download)
        {
            return;
        }

        _electionDeadline = now + _config.FetchTimeoutMs;
        if (answer.ErrorCode == (short)ErrorCode.SnapshotNotFound || answer.ErrorCode == (short)ErrorCode.PositionOutOfRange)
        {
            // The leader replaced the snapshot: start over with a plain Fetch, which names the new one.
            _snapshotDownload = null;
            _nextFetchAt = now;
        }
        else if (answer.ErrorCode == 0 && answer.SnapshotId.EndOffset == download.Id.EndOffset && answer.SnapshotId.Epoch == download.Id.Epoch
                 && download.Accept(answer.Position, answer.SizeValue, answer.UnalignedRecords is { } chunk ? chunk.Span : default))
        {
            if (download.IsComplete)
            {
                InstallSnapshot(download, output);
            }

            _nextFetchAt = now;
        }

        MaybeSendFetch(_leaderId, now, output);
    }

    /// <summary>The leader only snapshots committed offsets, so the snapshot's end is committed.</summary>
    private void InstallSnapshot(SnapshotDownload download, RaftOutput output)
    {
        _log.InstallSnapshot(download.Id, download.Bytes);
        _snapshotDownload = null;
        output.InstalledSnapshot = download.Id;
        if (download.Id.EndOffset > _highWatermark)
        {
            _highWatermark = download.Id.EndOffset;
            output.HighWatermark = _highWatermark;
        }
    }
}
