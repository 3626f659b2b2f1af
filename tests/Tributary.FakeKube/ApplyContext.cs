namespace Tributary.FakeKube;

/// <summary>Who applies what: the field manager, force flag, target subresource and bookkeeping values.</summary>
public sealed record ApplyContext(ResourceInfo Info, string Name, string Manager, bool Force, string? Subresource, string ApiVersion, string Time);
