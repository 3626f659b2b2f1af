using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata;

/// <summary>
/// The commit step of the control path: makes a list of metadata records durable as one atomic
/// unit, replays them into the next image and publishes it. The single-node store appends to its
/// local log and fsyncs; a Raft quorum implementation commits through the quorum instead.
/// </summary>
public interface IMetadataCommitter
{
    /// <summary>The latest published image.</summary>
    MetadataImage Current { get; }

    /// <summary>
    /// Commits <paramref name="records"/> and returns the image that includes them (already
    /// published when this completes). Throws <see cref="MetadataReplayException"/> if the records do
    /// not apply to the current image, leaving the log untouched.
    /// </summary>
    ValueTask<MetadataImage> CommitAsync(IReadOnlyList<IMetadataRecord> records, CancellationToken ct);
}
