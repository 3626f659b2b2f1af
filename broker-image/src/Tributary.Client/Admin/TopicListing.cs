namespace Tributary.Client.Admin;

/// <summary>A topic as ListTopics returns it.</summary>
public sealed record TopicListing(string Name, Guid TopicId, bool IsInternal);
