namespace Tributary.Operator.Rolling;

/// <summary>Why a pod needs a restart; shown in the RollingRestart events.</summary>
public static class RollReasons
{
    /// <summary>The rendered broker configuration (config-hash annotation) differs from the pod's.</summary>
    public const string ConfigChanged = "config changed";

    /// <summary>The StatefulSet's pod template changed (image, resources, ...): new update revision.</summary>
    public const string PodTemplateChanged = "pod template changed";
}
