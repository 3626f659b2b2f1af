using Tributary.Operator.Api;
using Tributary.Operator.Rendering;

namespace Tributary.Operator.Crds;

/// <summary>Every custom resource type the operator serves, in the order CRDs are written.</summary>
public static class CrdCatalog
{
    public static IReadOnlyList<Type> ResourceTypes { get; } =
        [typeof(KafkaCluster), typeof(Topic), typeof(Connector), typeof(Replicator)];

    /// <summary>File name and YAML text of every CRD: what `make crds` writes.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> RenderAll() =>
        ResourceTypes
            .Select(t => KeyValuePair.Create(CrdGenerator.FileName(t), YamlWriter.Write(CrdGenerator.Generate(t))))
            .ToList();
}
