using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Network;

/// <summary>
/// What a broker advertised in ApiVersions, intersected with what the generated messages support.
/// <see cref="Select"/> picks the version a request is sent at.
/// </summary>
public sealed class ApiVersionTable
{
    private readonly Dictionary<ApiKey, ApiVersionRange> _ranges;

    public ApiVersionTable(IEnumerable<KeyValuePair<ApiKey, ApiVersionRange>> brokerRanges)
    {
        ArgumentNullException.ThrowIfNull(brokerRanges);
        _ranges = [];
        foreach (var (key, range) in brokerRanges)
        {
            if (!ApiKeys.TryGet((short)key, out var ours))
            {
                continue;
            }

            var min = Math.Max(range.Min, ours.LowestVersion);
            var max = Math.Min(range.Max, ours.HighestVersion);
            if (min <= max)
            {
                _ranges[key] = new ApiVersionRange((short)min, (short)max);
            }
        }
    }

    /// <summary>The usable range for an API, if the broker supports any version we also do.</summary>
    public bool TryGet(ApiKey key, out ApiVersionRange range) => _ranges.TryGetValue(key, out range);

    public bool Supports(ApiKey key, short minVersion = 0) => _ranges.TryGetValue(key, out var range) && range.Max >= minVersion;

    /// <summary>
    /// The highest version in both [<paramref name="minVersion"/>, <paramref name="maxVersion"/>] (what the
    /// calling code understands) and the negotiated range; <see cref="ErrorCode.UnsupportedVersion"/> if none.
    /// </summary>
    public short Select(ApiKey key, short minVersion, short maxVersion)
    {
        if (!_ranges.TryGetValue(key, out var range))
        {
            throw new KafkaException(ErrorCode.UnsupportedVersion, $"the broker does not support the {key} API");
        }

        var version = Math.Min(maxVersion, range.Max);
        if (version < Math.Max(minVersion, range.Min))
        {
            throw new KafkaException(ErrorCode.UnsupportedVersion,
                $"the broker supports {key} versions {range.Min}-{range.Max}, the client needs {minVersion}-{maxVersion}");
        }

        return (short)version;
    }
}
