namespace Tributary.Client.Admin;

/// <summary>A group as ListGroups returns it; State is empty before ListGroups v4.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, string State);
