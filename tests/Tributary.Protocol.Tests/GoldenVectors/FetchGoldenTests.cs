using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Protocol.Tests.GoldenVectors;

/// <summary>Fetch v12 request: the first flexible Fetch, still naming topics (topic ids start at v13).</summary>
public sealed class FetchGoldenTests
{
    private static readonly byte[] RequestV12 =
    [
        0x00, 0x01,             // request_api_key = 1 (Fetch)
        0x00, 0x0c,             // request_api_version = 12
        0x00, 0x00, 0x00, 0x0c, // correlation_id = 12
        0x00, 0x03,             // client_id: int16 length 3
        0x63, 0x6c, 0x69,       //   "cli"
        0x00,                   // header tagged fields
        0xff, 0xff, 0xff, 0xff, // replica_id = -1 (a consumer)
        0x00, 0x00, 0x01, 0xf4, // max_wait_ms = 500
        0x00, 0x00, 0x00, 0x01, // min_bytes = 1
        0x00, 0x10, 0x00, 0x00, // max_bytes = 1048576
        0x01,                   // isolation_level = 1 (read committed)
        0x00, 0x00, 0x00, 0x00, // session_id = 0
        0xff, 0xff, 0xff, 0xff, // session_epoch = -1 (full fetch, no session)
        0x02,                   // topics: compact array, 1 + 1
        0x02, 0x74,             //   topic: compact string "t"
        0x02,                   //   partitions: compact array, 1 + 1
        0x00, 0x00, 0x00, 0x00, //     partition = 0
        0x00, 0x00, 0x00, 0x05, //     current_leader_epoch = 5
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, // fetch_offset = 100
        0xff, 0xff, 0xff, 0xff, //     last_fetched_epoch = -1
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // log_start_offset = -1
        0x00, 0x10, 0x00, 0x00, //     partition_max_bytes = 1048576
        0x00,                   //     partition tagged fields
        0x00,                   //   topic tagged fields
        0x01,                   // forgotten_topics_data: compact array, 0 + 1
        0x01,                   // rack_id: compact string "" (length 0 + 1)
        0x01,                   // body tagged fields: 1
        0x00,                   //   tag 0: cluster_id
        0x03,                   //   size 3
        0x03, 0x63, 0x31,       //   compact string "c1"
    ];

    [Fact]
    public void RequestV12MatchesTheGuide()
    {
        var request = new FetchRequest
        {
            ClusterId = "c1",
            ReplicaId = -1,
            MaxWaitMs = 500,
            MinBytes = 1,
            MaxBytes = 1048576,
            IsolationLevel = 1,
            SessionId = 0,
            SessionEpoch = -1,
            Topics =
            [
                new()
                {
                    Topic = "t",
                    Partitions = [new() { Partition = 0, CurrentLeaderEpoch = 5, FetchOffset = 100, PartitionMaxBytes = 1048576 }],
                },
            ],
        };
        Assert.Equal(RequestV12, Frames.Request(request, 12, 12, "cli"));

        var (_, body) = RequestFrameReader.Read(RequestV12);
        var fetch = Assert.IsType<FetchRequest>(body);
        Assert.Equal("c1", fetch.ClusterId);
        Assert.Equal(1048576, fetch.MaxBytes);
        var partition = Assert.Single(Assert.Single(fetch.Topics).Partitions);
        Assert.Equal((100L, 5, -1, -1L), (partition.FetchOffset, partition.CurrentLeaderEpoch, partition.LastFetchedEpoch, partition.LogStartOffset));
    }

    [Fact]
    public void DefaultsApplyToFieldsAVersionLacks()
    {
        // Read at v12, a FetchRequest has no replica state (v15+) and keeps the schema defaults.
        var (_, body) = RequestFrameReader.Read(RequestV12);
        var fetch = Assert.IsType<FetchRequest>(body);
        Assert.Equal((-1, -1L), (fetch.ReplicaState.ReplicaId, fetch.ReplicaState.ReplicaEpoch));
        Assert.Equal(0x7fffffff, new FetchRequest().MaxBytes);
    }
}
