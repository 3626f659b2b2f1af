using Tributary.Broker.Raft;
using Xunit;

namespace Tributary.Broker.Tests.Raft;

public sealed class FileQuorumStateStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("raft-quorum-").FullName;

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void MissingFileIsTheInitialState()
    {
        Assert.Equal(QuorumState.Initial, new FileQuorumStateStore(PathOf("quorum-state"), "c1", [1, 2, 3]).Load());
    }

    [Fact]
    public void SavedStateSurvivesANewInstance()
    {
        var path = PathOf("quorum-state");
        new FileQuorumStateStore(path, "c1", [1, 2, 3]).Save(new QuorumState(7, 2, -1));
        Assert.Equal(new QuorumState(7, 2, -1), new FileQuorumStateStore(path, "c1", [1, 2, 3]).Load());
        new FileQuorumStateStore(path, "c1", [1, 2, 3]).Save(new QuorumState(8, -1, 3));
        Assert.Equal(new QuorumState(8, -1, 3), new FileQuorumStateStore(path, "c1", [1, 2, 3]).Load());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void CorruptOrForeignFilesAreRejected()
    {
        var path = PathOf("quorum-state");
        var store = new FileQuorumStateStore(path, "c1", [1]);
        store.Save(new QuorumState(3, 1, 1));
        var bytes = File.ReadAllBytes(path);
        bytes[5] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Throws<InvalidDataException>(() => store.Load());

        File.WriteAllBytes(path, [0, 0]);
        Assert.Throws<InvalidDataException>(() => store.Load());

        store.Save(new QuorumState(3, 1, 1));
        Assert.Throws<InvalidDataException>(() => new FileQuorumStateStore(path, "other", [1]).Load());
    }

    [Fact]
    public void DrivesARealNodeAcrossRestarts()
    {
        var path = PathOf("quorum-state");
        var config = new RaftConfig { NodeId = 1, Voters = [1] };
        var log = new InMemoryRaftLog();
        var node = new RaftNode(config, log, new FileQuorumStateStore(path, null, [1]), new Random(1), 0);
        node.Tick(0);
        Assert.Equal(RaftRole.Leader, node.Role);

        var restarted = new RaftNode(config, log, new FileQuorumStateStore(path, null, [1]), new Random(1), 10);
        Assert.Equal(RaftRole.Resigned, restarted.Role);
        Assert.Equal(1, restarted.Epoch);
    }
}
