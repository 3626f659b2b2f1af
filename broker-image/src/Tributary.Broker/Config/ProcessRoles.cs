namespace Tributary.Broker.Config;

/// <summary>The KRaft <c>process.roles</c> of a node: broker, controller, or both (combined mode).</summary>
[Flags]
public enum ProcessRoles
{
    None = 0,
    Broker = 1,
    Controller = 2,
}
