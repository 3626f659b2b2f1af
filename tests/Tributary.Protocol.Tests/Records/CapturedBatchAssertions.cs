using System.Text;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Records;
using Tributary.TestSupport;
using Xunit;

namespace Tributary.Protocol.Tests.Records;

/// <summary>Checks that bytes a real client produced hold exactly the kcat sample.</summary>
internal static class CapturedBatchAssertions
{
    public static CompressionType TypeOf(string codec) => (CompressionType)(KcatCapture.Codecs.ToList().IndexOf(codec) + 1);

    /// <summary>Returns the decompressed records section of the single batch in <paramref name="records"/>.</summary>
    public static byte[] AssertHoldsSample(byte[] records, string codec)
    {
        var enumerator = new RecordBatchEnumerator(records);
        Assert.True(enumerator.MoveNext());
        var bytes = enumerator.Current.ToArray();
        Assert.False(enumerator.MoveNext());
        Assert.False(enumerator.HasPartialBatch);

        var validation = RecordBatchValidator.Validate(bytes);
        Assert.True(validation.IsValid, validation.Message);
        Assert.True(RecordBatchValidator.ValidateProduce(bytes, 7).IsValid);

        var batch = new RecordBatch(bytes);
        Assert.Equal(TypeOf(codec), batch.Compression);
        Assert.Equal(KcatCapture.Records.Count, batch.RecordCount);

        using var output = new PooledBufferWriter();
        batch.DecompressRecords(output, 1 << 20);
        var index = 0;
        foreach (var record in new RecordEnumerator(output.WrittenSpan, batch.RecordCount))
        {
            var expected = KcatCapture.Records[index];
            Assert.Equal(index, record.OffsetDelta);
            Assert.Equal(expected.Key, Encoding.UTF8.GetString(record.Key));
            Assert.Equal(expected.Value, Encoding.UTF8.GetString(record.Value));
            var headers = new List<(string, string)>();
            foreach (var header in record.Headers)
            {
                headers.Add((header.KeyString(), Encoding.UTF8.GetString(header.Value)));
            }

            Assert.Equal(KcatCapture.Headers, headers);
            index++;
        }

        Assert.Equal(KcatCapture.Records.Count, index);
        return output.WrittenSpan.ToArray();
    }
}
