namespace Tributary.Protocol.Messages;

/// <summary>
/// Which request/response header version goes with an API version. Flexible API versions use
/// request header v2 and response header v1; others v1 and v0. Two exceptions, as in Kafka:
/// ControlledShutdown v0 uses request header v0 (no client id), and ApiVersions responses always
/// use response header v0, so a client that sent a too-new version can still read the error.
/// </summary>
public static class ApiHeaderVersions
{
    public static short RequestHeaderVersion(ApiKey key, short apiVersion)
    {
        if (key == ApiKey.ControlledShutdown && apiVersion == 0)
        {
            return 0;
        }

        return ApiKeys.Get(key).IsFlexible(apiVersion) ? (short)2 : (short)1;
    }

    public static short ResponseHeaderVersion(ApiKey key, short apiVersion)
    {
        if (key == ApiKey.ApiVersions)
        {
            return 0;
        }

        return ApiKeys.Get(key).IsFlexible(apiVersion) ? (short)1 : (short)0;
    }
}
