namespace Tributary.Operator.Api;

/// <summary>The API group and version every Tributary custom resource lives in.</summary>
public static class KafkaApi
{
    public const string Group = "kafka.tributary.dev";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Group + "/" + Version;

    /// <summary>`kubectl get tributary` lists every Tributary resource.</summary>
    public const string Category = "tributary";
}
