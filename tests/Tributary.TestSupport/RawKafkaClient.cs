using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using Tributary.Protocol.Primitives;

namespace Tributary.TestSupport;

/// <summary>
/// Hand-written Produce and Fetch requests over a plain socket, for getting and putting raw
/// record batch bytes exactly as they are on the wire (no client library re-encodes them).
/// Request header v1 (api key, version, correlation id, client id); response header v0.
/// </summary>
public static class RawKafkaClient
{
    private const short ProduceKey = 0;
    private const short FetchKey = 1;
    private const short MetadataKey = 3;
    private const string ClientId = "tributary-raw";

    /// <summary>Fetch v4 of one partition from <paramref name="offset"/>; returns the records bytes as sent.</summary>
    public static async Task<FetchedPartition> FetchAsync(string hostPort, string topic, int partition, long offset, CancellationToken cancellationToken = default)
    {
        var body = new byte[256 + topic.Length * 3];
        var writer = new KafkaWriter(body);
        writer.WriteInt32(-1);          // replica_id: a consumer
        writer.WriteInt32(500);         // max_wait_ms
        writer.WriteInt32(1);           // min_bytes
        writer.WriteInt32(1 << 20);     // max_bytes (v3+)
        writer.WriteInt8(0);            // isolation_level (v4+): read_uncommitted
        writer.WriteArrayLength(1);
        writer.WriteString(topic);
        writer.WriteArrayLength(1);
        writer.WriteInt32(partition);
        writer.WriteInt64(offset);
        writer.WriteInt32(1 << 20);     // partition_max_bytes
        var response = await RoundTripAsync(hostPort, FetchKey, 4, body.AsMemory(0, writer.Position), cancellationToken).ConfigureAwait(false);

        var reader = new KafkaReader(response);
        reader.ReadInt32();             // throttle_time_ms
        var topics = reader.ReadArrayLength();
        for (var t = 0; t < topics; t++)
        {
            var name = reader.ReadString();
            var partitions = reader.ReadArrayLength();
            for (var p = 0; p < partitions; p++)
            {
                var index = reader.ReadInt32();
                var error = reader.ReadInt16();
                var highWatermark = reader.ReadInt64();
                reader.ReadInt64();     // last_stable_offset
                var aborted = reader.ReadArrayLength();
                for (var a = 0; a < aborted; a++)
                {
                    reader.ReadInt64();
                    reader.ReadInt64();
                }

                var records = reader.ReadRecords();
                if (name == topic && index == partition)
                {
                    return new FetchedPartition(error, highWatermark, records?.ToArray() ?? []);
                }
            }
        }

        throw new InvalidOperationException($"fetch response has no {topic}-{partition}");
    }

    /// <summary>Produce (v3-v8 share this request layout; v7 allows zstd) of one batch with acks=-1; returns (error code, base offset).</summary>
    public static async Task<(short ErrorCode, long BaseOffset)> ProduceAsync(string hostPort, string topic, int partition, ReadOnlyMemory<byte> records,
        short version = 7, CancellationToken cancellationToken = default)
    {
        if (version is < 3 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(version), "this encoder writes Produce v3-v8");
        }

        var body = new byte[64 + topic.Length * 3 + records.Length];
        var writer = new KafkaWriter(body);
        writer.WriteNullableString(null); // transactional_id
        writer.WriteInt16(-1);            // acks
        writer.WriteInt32(10000);         // timeout_ms
        writer.WriteArrayLength(1);
        writer.WriteString(topic);
        writer.WriteArrayLength(1);
        writer.WriteInt32(partition);
        writer.WriteRecords(records);
        var response = await RoundTripAsync(hostPort, ProduceKey, version, body.AsMemory(0, writer.Position), cancellationToken).ConfigureAwait(false);

        var reader = new KafkaReader(response);
        var topics = reader.ReadArrayLength();
        for (var t = 0; t < topics; t++)
        {
            var name = reader.ReadString();
            var partitions = reader.ReadArrayLength();
            for (var p = 0; p < partitions; p++)
            {
                var index = reader.ReadInt32();
                var error = reader.ReadInt16();
                var baseOffset = reader.ReadInt64();
                reader.ReadInt64();       // log_append_time_ms (v2+)
                if (version >= 5)
                {
                    reader.ReadInt64();   // log_start_offset
                }

                if (version >= 8)
                {
                    var recordErrors = reader.ReadArrayLength();
                    for (var e = 0; e < recordErrors; e++)
                    {
                        reader.ReadInt32();
                        reader.ReadNullableString();
                    }

                    reader.ReadNullableString();
                }

                if (name == topic && index == partition)
                {
                    return (error, baseOffset);
                }
            }
        }

        throw new InvalidOperationException($"produce response has no {topic}-{partition}");
    }

    /// <summary>
    /// Metadata v1 for one topic (v1-v3 imply auto-creation, which is how clients get librdkafka's
    /// mock cluster to create a topic; the mock closes the connection on v4); returns the topic's error code.
    /// </summary>
    public static async Task<short> MetadataAsync(string hostPort, string topic, CancellationToken cancellationToken = default)
    {
        var body = new byte[16 + topic.Length * 3];
        var writer = new KafkaWriter(body);
        writer.WriteArrayLength(1);
        writer.WriteString(topic);
        var response = await RoundTripAsync(hostPort, MetadataKey, 1, body.AsMemory(0, writer.Position), cancellationToken).ConfigureAwait(false);

        var reader = new KafkaReader(response);
        var brokers = reader.ReadArrayLength();
        for (var b = 0; b < brokers; b++)
        {
            reader.ReadInt32();
            reader.ReadString();
            reader.ReadInt32();
            reader.ReadNullableString();
        }

        reader.ReadInt32();                 // controller_id
        var topics = reader.ReadArrayLength();
        for (var t = 0; t < topics; t++)
        {
            var error = reader.ReadInt16();
            if (reader.ReadString() == topic)
            {
                return error;
            }

            reader.ReadBool();
            var partitions = reader.ReadArrayLength();
            for (var p = 0; p < partitions; p++)
            {
                reader.ReadInt16();
                reader.ReadInt32();
                reader.ReadInt32();
                for (var list = 0; list < 2; list++)
                {
                    var count = reader.ReadArrayLength();
                    for (var i = 0; i < count; i++)
                    {
                        reader.ReadInt32();
                    }
                }
            }
        }

        throw new InvalidOperationException($"metadata response has no {topic}");
    }

    /// <summary>Sends one request and returns the response body after the correlation id.</summary>
    public static async Task<ReadOnlyMemory<byte>> RoundTripAsync(string hostPort, short apiKey, short apiVersion, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        var (host, port) = Split(hostPort);
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();

        const int correlationId = 1;
        var headerSize = 2 + 2 + 4 + 2 + ClientId.Length;
        var frame = new byte[4 + headerSize + body.Length];
        var writer = new KafkaWriter(frame);
        writer.WriteInt32(headerSize + body.Length);
        writer.WriteInt16(apiKey);
        writer.WriteInt16(apiVersion);
        writer.WriteInt32(correlationId);
        writer.WriteString(ClientId);
        writer.WriteRaw(body.Span);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);

        var sizeBytes = new byte[4];
        await stream.ReadExactlyAsync(sizeBytes, cancellationToken).ConfigureAwait(false);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size < 4 || size > 64 << 20)
        {
            throw new InvalidOperationException($"implausible response size {size}");
        }

        var response = new byte[size];
        await stream.ReadExactlyAsync(response, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadInt32BigEndian(response) != correlationId)
        {
            throw new InvalidOperationException("response correlation id does not match");
        }

        return response.AsMemory(4);
    }

    private static (string Host, int Port) Split(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture));
    }
}
