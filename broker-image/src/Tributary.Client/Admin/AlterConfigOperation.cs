namespace Tributary.Client.Admin;

/// <summary>IncrementalAlterConfigs operations.</summary>
public enum AlterConfigOperation : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}
