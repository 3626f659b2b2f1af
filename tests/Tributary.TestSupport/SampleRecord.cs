namespace Tributary.TestSupport;

/// <summary>A record given to a real client, to compare with what comes back on the wire.</summary>
public sealed record SampleRecord(string Key, string Value);
