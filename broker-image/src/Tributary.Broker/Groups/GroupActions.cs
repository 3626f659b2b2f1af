namespace Tributary.Broker.Groups;

/// <summary>
/// What the host must do after a coordinator call: append <see cref="Records"/> to
/// <c>__consumer_offsets</c>, then send the JoinGroup/SyncGroup responses listed (possibly for
/// requests made earlier by other members, identified by the host's tokens).
/// </summary>
/// <remarks>
/// Host contract: append the records (acks=all) before sending the responses. If the append
/// fails, the in-memory state is ahead of the log: the host answers NOT_COORDINATOR and calls
/// <see cref="GroupCoordinator.Unload"/> then reloads the partition from the log, which restores
/// the durable state (this is also what happens when partition leadership moves).
/// </remarks>
public sealed class GroupActions
{
    private readonly List<JoinCompletion> _joins = [];
    private readonly List<SyncCompletion> _syncs = [];
    private readonly List<GroupRecord> _records = [];

    public IReadOnlyList<JoinCompletion> Joins => _joins;

    public IReadOnlyList<SyncCompletion> Syncs => _syncs;

    public IReadOnlyList<GroupRecord> Records => _records;

    public bool IsEmpty => _joins.Count == 0 && _syncs.Count == 0 && _records.Count == 0;

    internal void Join(long token, JoinGroupResult result) => _joins.Add(new JoinCompletion(token, result));

    internal void Sync(long token, SyncGroupResult result) => _syncs.Add(new SyncCompletion(token, result));

    internal void Record(GroupRecord record) => _records.Add(record);
}
