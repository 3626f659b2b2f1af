namespace Tributary.Client.Network;

/// <summary>The versions of one API both sides support.</summary>
public readonly record struct ApiVersionRange(short Min, short Max);
