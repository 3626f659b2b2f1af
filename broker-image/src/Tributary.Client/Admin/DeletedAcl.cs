namespace Tributary.Client.Admin;

/// <summary>An ACL a DeleteAcls filter matched, with whether deleting it succeeded.</summary>
public sealed record DeletedAcl(AclBinding Binding, AdminResult Result);
