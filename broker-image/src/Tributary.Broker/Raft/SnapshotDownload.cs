namespace Tributary.Broker.Raft;

/// <summary>
/// A follower's snapshot transfer in progress: FetchSnapshot chunks are accepted strictly in
/// order (the next request asks for <see cref="Position"/>), so a lost or duplicated response
/// only costs a resend.
/// </summary>
public sealed class SnapshotDownload
{
    private byte[] _buffer = [];

    public SnapshotDownload(RaftSnapshotId id) => Id = id;

    public RaftSnapshotId Id { get; }

    /// <summary>Bytes received so far; the position of the next chunk.</summary>
    public long Position { get; private set; }

    /// <summary>Total size announced by the leader, or -1 before the first chunk.</summary>
    public long Size { get; private set; } = -1;

    public bool IsComplete => Size >= 0 && Position == Size;

    /// <summary>The snapshot bytes once complete.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, (int)Position);

    /// <summary>
    /// Takes the chunk at <paramref name="position"/> of a snapshot of <paramref name="size"/> bytes.
    /// Returns false (and ignores it) when it is not the next expected chunk or is inconsistent.
    /// </summary>
    public bool Accept(long position, long size, ReadOnlySpan<byte> chunk)
    {
        if (position != Position || size < 0 || size > Array.MaxLength || (Size >= 0 && size != Size) || position + chunk.Length > size)
        {
            return false;
        }

        if (Size < 0)
        {
            Size = size;
            _buffer = new byte[size];
        }

        chunk.CopyTo(_buffer.AsSpan((int)position));
        Position += chunk.Length;
        return true;
    }
}
