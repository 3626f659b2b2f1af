using Tributary.Broker.Raft;

namespace Tributary.Broker.Tests.Raft;

public class InMemoryRaftLogTests : RaftLogContractTests
{
    protected override IRaftLog NewLog() => new InMemoryRaftLog();
}
