using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>
/// Stands in for the answer to a request that failed on the wire: a response of the matching type
/// with a top-level error, which the Raft core treats as "no answer" (it frees the fetch slot and
/// resends on its own schedule).
/// </summary>
public static class RaftFailureResponses
{
    /// <summary>The failure response for <paramref name="request"/>, or null for a type the core never sends.</summary>
    public static IApiResponse? For(IApiRequest request, ErrorCode error)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = (short)error;
        return request switch
        {
            VoteRequest => new VoteResponse { ErrorCode = code },
            BeginQuorumEpochRequest => new BeginQuorumEpochResponse { ErrorCode = code },
            EndQuorumEpochRequest => new EndQuorumEpochResponse { ErrorCode = code },
            FetchRequest => new FetchResponse { ErrorCode = code },
            FetchSnapshotRequest => new FetchSnapshotResponse { ErrorCode = code },
            _ => null,
        };
    }
}
