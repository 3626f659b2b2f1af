namespace Tributary.Broker.Groups;

/// <summary>One ListGroups entry; <see cref="ProtocolType"/> is "" for simple groups.</summary>
public sealed record ListedGroup(string GroupId, string ProtocolType, GroupState State);
