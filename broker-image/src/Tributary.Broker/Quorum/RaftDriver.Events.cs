using Tributary.Broker.Raft;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>The events of the driver's loop and the waiting work it tracks between steps.</summary>
public sealed partial class RaftDriver
{
    private abstract class DriverEvent
    {
        /// <summary>Completes the event's caller with <paramref name="error"/> (no-op for events nobody waits on).</summary>
        public virtual void Fail(Exception error)
        {
        }
    }

    private sealed class TickEvent : DriverEvent
    {
        public static readonly TickEvent Instance = new();
    }

    private sealed class ResponseEvent(RaftMessage message) : DriverEvent
    {
        public RaftMessage Message { get; } = message;
    }

    private sealed class InboundEvent(IApiRequest request) : DriverEvent
    {
        public IApiRequest Request { get; } = request;

        public TaskCompletionSource<IApiResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    private sealed class AppendEvent(IReadOnlyList<ReadOnlyMemory<byte>> values, int expectedEpoch, long expectedBaseOffset) : DriverEvent
    {
        public IReadOnlyList<ReadOnlyMemory<byte>> Values { get; } = values;

        public int ExpectedEpoch { get; } = expectedEpoch;

        public long ExpectedBaseOffset { get; } = expectedBaseOffset;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    private sealed class SnapshotEvent(long endOffset, ReadOnlyMemory<byte> state) : DriverEvent
    {
        public long EndOffset { get; } = endOffset;

        public ReadOnlyMemory<byte> State { get; } = state;

        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    private sealed class ResignEvent : DriverEvent
    {
        /// <summary>Completes with the task of the EndQuorumEpoch sends.</summary>
        public TaskCompletionSource<Task> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetResult(Task.CompletedTask);
    }

    /// <summary>An append waiting for the high watermark to pass <see cref="LastOffset"/> in <see cref="Epoch"/>.</summary>
    private sealed record PendingAppend(long LastOffset, int Epoch, TaskCompletionSource<long> Completion);

    /// <summary>A fetch from an up-to-date replica the leader answers later (KRaft's fetch purgatory).</summary>
    private sealed record HeldFetch(FetchRequest Request, TaskCompletionSource<IApiResponse> Completion, long Deadline);
}
