namespace Tributary.Client.Producer;

/// <summary>Where a record landed. Offset is -1 with acks=0 (no response) or for a duplicate the broker had already written.</summary>
public sealed record DeliveryResult(TopicPartition Partition, long Offset, long Timestamp);
