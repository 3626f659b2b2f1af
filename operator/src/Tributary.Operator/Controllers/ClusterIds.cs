using System.Security.Cryptography;

namespace Tributary.Operator.Controllers;

/// <summary>KRaft cluster ids: 16 random bytes in URL-safe base64 without padding (22 characters), like kafka-storage random-uuid.</summary>
public static class ClusterIds
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
