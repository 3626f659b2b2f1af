using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Tributary.TestSupport;

namespace Tributary.Bench;

/// <summary>
/// librdkafka's mock cluster has no CreateTopics handler and auto-creates topics with 4
/// partitions, so topics of an exact size are created through its C API
/// (rd_kafka_handle_mock_cluster + rd_kafka_mock_topic_create, both exported by librdkafka.so.1).
/// </summary>
internal static partial class MockTopics
{
    public static void Create(IProducer<byte[], byte[]> owner, string topic, int partitions)
    {
        var handle = owner.Handle;
        var safe = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(handle)!;
        var rk = ((SafeHandle)safe).DangerousGetHandle();
        var cluster = HandleMockCluster(rk);
        if (cluster == 0)
        {
            throw new InvalidOperationException("producer has no mock cluster");
        }

        var error = MockTopicCreate(cluster, topic, partitions, 1);
        if (error != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_topic_create failed: {error}");
        }
    }

    [LibraryImport(RealClients.LibrdkafkaPath, EntryPoint = "rd_kafka_handle_mock_cluster")]
    private static partial nint HandleMockCluster(nint rk);

    [LibraryImport(RealClients.LibrdkafkaPath, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MockTopicCreate(nint cluster, string topic, int partitions, int replicationFactor);
}
