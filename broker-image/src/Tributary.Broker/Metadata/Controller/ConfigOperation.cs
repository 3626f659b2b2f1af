namespace Tributary.Broker.Metadata.Controller;

/// <summary>IncrementalAlterConfigs operations (AlterConfigOp.OpType) with their wire codes.</summary>
public enum ConfigOperation : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}
