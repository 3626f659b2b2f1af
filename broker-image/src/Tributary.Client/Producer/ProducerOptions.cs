using Tributary.Protocol.Records;

namespace Tributary.Client.Producer;

/// <summary>Producer settings, named after their Java client counterparts.</summary>
public sealed class ProducerOptions : ClientOptions
{
    public Acks Acks { get; set; } = Acks.All;

    /// <summary>linger.ms: how long a batch waits for more records before it is sent.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>batch.size: uncompressed bytes after which a batch is closed.</summary>
    public int BatchSize { get; set; } = 16384;

    public CompressionType Compression { get; set; } = CompressionType.None;

    /// <summary>enable.idempotence: InitProducerId plus per-partition sequences, so retries never duplicate or reorder. Needs acks=all.</summary>
    public bool EnableIdempotence { get; set; } = true;

    /// <summary>max.in.flight.requests.per.connection, applied per partition; at most 5 with idempotence.</summary>
    public int MaxInFlight { get; set; } = 5;

    /// <summary>delivery.timeout.ms: a record not acknowledged by then fails.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public NullKeyPartitioning NullKeyPartitioning { get; set; } = NullKeyPartitioning.Sticky;

    /// <summary>Whether a Metadata lookup may create a missing topic (when the broker allows it).</summary>
    public bool AllowAutoCreateTopics { get; set; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlight, 1, nameof(MaxInFlight));
        if (EnableIdempotence && Acks != Acks.All)
        {
            throw new ArgumentException("idempotence needs Acks.All", nameof(Acks));
        }

        if (EnableIdempotence && MaxInFlight > 5)
        {
            throw new ArgumentException("idempotence allows at most 5 requests in flight per partition", nameof(MaxInFlight));
        }
    }
}
