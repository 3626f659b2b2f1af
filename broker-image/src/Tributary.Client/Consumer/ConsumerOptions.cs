namespace Tributary.Client.Consumer;

/// <summary>Consumer settings, named after their Java client counterparts.</summary>
public sealed class ConsumerOptions : ClientOptions
{
    /// <summary>group.id: needed for Subscribe and for committing; null for a groupless consumer using Assign.</summary>
    public string? GroupId { get; set; }

    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Latest;

    /// <summary>enable.auto.commit: commit positions every <see cref="AutoCommitInterval"/> during polls, before rebalances and on close.</summary>
    public bool EnableAutoCommit { get; set; }

    public TimeSpan AutoCommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadUncommitted;

    public int FetchMinBytes { get; set; } = 1;

    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(500);

    public int FetchMaxBytes { get; set; } = 50 << 20;

    public int MaxPartitionFetchBytes { get; set; } = 1 << 20;

    /// <summary>max.poll.records: the most records one poll returns.</summary>
    public int MaxPollRecords { get; set; } = 500;

    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>max.poll.interval.ms: the rebalance timeout sent in JoinGroup.</summary>
    public TimeSpan RebalanceTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Assignors offered in JoinGroup, preferred first.</summary>
    public IReadOnlyList<IPartitionAssignor> Assignors { get; set; } = [new RangeAssignor(), new RoundRobinAssignor()];

    /// <summary>Verify each fetched batch's CRC32C.</summary>
    public bool CheckCrcs { get; set; } = true;

    /// <summary>Largest decompressed records section accepted from one batch.</summary>
    public int MaxDecompressedBatchBytes { get; set; } = 64 << 20;
}
