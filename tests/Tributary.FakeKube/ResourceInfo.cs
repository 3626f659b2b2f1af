using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>A resource type the fake server serves, with what discovery and table printing need.</summary>
public sealed record ResourceInfo(ResourceDescriptor Descriptor, string Singular, bool HasStatus, IReadOnlyList<string> ShortNames)
{
    /// <summary>Extra table columns (CRD additionalPrinterColumns): header and JSONPath like ".spec.replicas".</summary>
    public IReadOnlyList<(string Name, string JsonPath)> PrinterColumns { get; init; } = [];

    /// <summary>"group/plural" key used internally (core group is empty).</summary>
    public string Key => Descriptor.Group + "/" + Descriptor.Plural;

    /// <summary>Name as used in messages: "configmaps" or "statefulsets.apps".</summary>
    public string Qualified => Descriptor.Group.Length == 0 ? Descriptor.Plural : Descriptor.Plural + "." + Descriptor.Group;

    public JsonObject Details(string name) => new()
    {
        ["name"] = name,
        ["group"] = Descriptor.Group,
        ["kind"] = Descriptor.Plural,
    };
}
