using System.Buffers.Binary;
using Tributary.Protocol;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Coordinator;
using Tributary.Protocol.Primitives;
using Tributary.Storage;

namespace Tributary.Broker.Raft;

/// <summary>
/// The quorum-state file: Kafka's QuorumStateData (version 0) after an int16 version, followed by
/// a CRC32C of everything before it. Saves replace the file atomically (temp file, fsync, rename,
/// directory fsync), so a crash leaves either the old or the new state, never a torn one.
/// </summary>
public sealed class FileQuorumStateStore : IQuorumStateStore
{
    private const short FormatVersion = 0;
    private readonly string _path;
    private readonly string? _clusterId;
    private readonly IReadOnlyList<int> _voters;

    public FileQuorumStateStore(string path, string? clusterId, IReadOnlyList<int> voters)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(voters);
        _path = path;
        _clusterId = clusterId;
        _voters = voters;
    }

    /// <summary>Reads the file; throws <see cref="InvalidDataException"/> when it is corrupt.</summary>
    public QuorumState Load()
    {
        if (!File.Exists(_path))
        {
            return QuorumState.Initial;
        }

        var bytes = File.ReadAllBytes(_path);
        if (bytes.Length < 2 + 4)
        {
            throw new InvalidDataException($"quorum-state file {_path} is truncated ({bytes.Length} bytes)");
        }

        var body = bytes.AsSpan(0, bytes.Length - 4);
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 4)))
        {
            throw new InvalidDataException($"quorum-state file {_path} fails its checksum");
        }

        var version = BinaryPrimitives.ReadInt16BigEndian(body);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"quorum-state file {_path} has unknown version {version}");
        }

        var data = new QuorumStateData();
        try
        {
            var reader = new KafkaReader(bytes.AsMemory(2, body.Length - 2));
            data.Read(ref reader, FormatVersion);
        }
        catch (ProtocolException e)
        {
            throw new InvalidDataException($"quorum-state file {_path} is malformed: {e.Message}", e);
        }

        if (_clusterId is not null && data.ClusterId.Length > 0 && data.ClusterId != _clusterId)
        {
            throw new InvalidDataException($"quorum-state file {_path} belongs to cluster {data.ClusterId}, not {_clusterId}");
        }

        return new QuorumState(data.LeaderEpoch < 0 ? 0 : data.LeaderEpoch, data.VotedId, data.LeaderId);
    }

    public void Save(QuorumState state)
    {
        var data = new QuorumStateData
        {
            ClusterId = _clusterId ?? "",
            LeaderId = state.LeaderId,
            LeaderEpoch = state.Epoch,
            VotedId = state.VotedId,
            CurrentVoters = _voters.Select(v => new QuorumStateData.Voter { VoterId = v }).ToList(),
        };

        var bodySize = 2 + data.Size(FormatVersion);
        var bytes = new byte[bodySize + 4];
        var writer = new KafkaWriter(bytes);
        writer.WriteInt16(FormatVersion);
        data.Write(ref writer, FormatVersion);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bodySize), Crc32C.Compute(bytes.AsSpan(0, bodySize)));
        FileIo.WriteAtomically(_path, bytes);
    }
}
