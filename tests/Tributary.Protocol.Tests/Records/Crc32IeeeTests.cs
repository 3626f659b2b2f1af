using System.Text;
using Tributary.Protocol.Checksums;
using Xunit;

namespace Tributary.Protocol.Tests.Records;

public class Crc32IeeeTests
{
    [Fact]
    public void CheckValueOf123456789() => Assert.Equal(0xCBF43926u, Crc32Ieee.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void AppendContinuesAChecksum()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal(0x414FA339u, Crc32Ieee.Compute(data));
        Assert.Equal(0x414FA339u, Crc32Ieee.Append(Crc32Ieee.Compute(data.AsSpan(0, 10)), data.AsSpan(10)));
    }
}
