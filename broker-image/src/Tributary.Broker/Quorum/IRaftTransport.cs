using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>
/// Carries the Raft core's requests to other quorum members. <see cref="RaftDriver"/> sends every
/// <c>RaftOutput.Messages</c> entry through it and feeds the answer (or the failure) back to the node.
/// </summary>
public interface IRaftTransport
{
    /// <summary>
    /// Sends <paramref name="request"/> (Vote, BeginQuorumEpoch, EndQuorumEpoch, Fetch or FetchSnapshot)
    /// to node <paramref name="destinationId"/> and returns its response. Throws when the node is
    /// unknown, unreachable or did not answer within <paramref name="timeout"/>.
    /// </summary>
    Task<IApiResponse> SendAsync(int destinationId, IApiRequest request, TimeSpan timeout, CancellationToken ct);
}
