namespace Tributary.Client.Admin;

/// <summary>One incremental config change; Value is ignored for Delete.</summary>
public sealed record ConfigAlteration(string Name, string? Value, AlterConfigOperation Operation = AlterConfigOperation.Set)
{
    public static ConfigAlteration Set(string name, string value) => new(name, value, AlterConfigOperation.Set);

    public static ConfigAlteration Delete(string name) => new(name, null, AlterConfigOperation.Delete);
}
