using Tributary.Protocol.Messages;

namespace Tributary.Client.Network;

/// <summary>A request on the wire waiting for its response.</summary>
internal sealed class PendingRequest(ApiKey key, short version)
{
    public ApiKey Key { get; } = key;

    public short Version { get; } = version;

    public TaskCompletionSource<IApiResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
