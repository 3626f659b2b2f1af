namespace Tributary.Protocol.Messages;

/// <summary>
/// One row of the generated API-key table (<see cref="ApiKeys"/>). Versions are -1 where a range
/// is empty (no flexible versions, nothing deprecated).
/// </summary>
public sealed record ApiKeyInfo(
    ApiKey Key,
    string Name,
    short LowestVersion,
    short HighestVersion,
    short FirstFlexibleVersion,
    ApiListeners Listeners,
    bool LatestVersionUnstable,
    short LowestDeprecatedVersion,
    short HighestDeprecatedVersion)
{
    public bool IsSupported(short version) => version >= LowestVersion && version <= HighestVersion;

    /// <summary>Whether a version uses the flexible (KIP-482) encoding; defined for any version, supported or not.</summary>
    public bool IsFlexible(short version) => FirstFlexibleVersion >= 0 && version >= FirstFlexibleVersion;

    public bool IsDeprecated(short version) =>
        LowestDeprecatedVersion >= 0 && version >= LowestDeprecatedVersion && version <= HighestDeprecatedVersion;
}
