using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>
/// The metadata quorum's share of the Fetch API: a Fetch of <c>__cluster_metadata</c> (by name or
/// by its fixed topic id) is a Raft replication request and is answered by the quorum, not by the
/// replica manager. The Fetch handler asks <see cref="IsQuorumFetch"/> first and hands such
/// requests over whole.
/// </summary>
public interface IQuorumFetchHandler
{
    /// <summary>True when <paramref name="request"/> fetches the metadata log.</summary>
    bool IsQuorumFetch(FetchRequest request);

    /// <summary>Answers a metadata-log fetch at <paramref name="version"/>.</summary>
    ValueTask<FetchResponse> HandleAsync(FetchRequest request, short version, CancellationToken ct);
}
