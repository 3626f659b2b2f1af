using Tributary.Broker.Metadata;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Tests.Controller;

/// <summary>
/// Commits by replaying records onto the image at consecutive offsets, like a quorum would; refuses with
/// <see cref="NotControllerException"/> while the quorum says this node is not active. <see cref="Gap"/>
/// stands for control records a Raft log holds between metadata batches.
/// </summary>
internal sealed class InMemoryCommitter(string clusterId, FakeQuorum quorum) : IMetadataCommitter
{
    private long _nextOffset;

    public MetadataImage Current { get; private set; } = MetadataImage.Empty(clusterId);

    public int Commits { get; private set; }

    public long Gap { get; set; }

    public ValueTask<MetadataImage> CommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct)
    {
        if (!quorum.IsActiveController)
        {
            throw new NotControllerException { KnownLeaderId = -1 };
        }

        _nextOffset += Gap;
        var delta = new MetadataDelta(Current);
        foreach (var record in records)
        {
            delta.Replay(record, _nextOffset++);
        }

        Current = delta.Apply();
        Commits++;
        return ValueTask.FromResult(Current);
    }
}
