namespace Tributary.Storage;

/// <summary>
/// An aborted transaction as the Fetch API reports it (read_committed): records of
/// <see cref="ProducerId"/> from <see cref="FirstOffset"/> up to the abort marker at
/// <see cref="LastOffset"/> are to be skipped. <see cref="LastStableOffset"/> is the LSO
/// right after the abort (Kafka's <c>.txnindex</c> entry).
/// </summary>
public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset, long LastStableOffset);
