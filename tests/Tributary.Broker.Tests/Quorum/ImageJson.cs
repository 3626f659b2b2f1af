using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Broker.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Quorum;

/// <summary>
/// Deep structural comparison of images through their JSON form, so a field added to any image
/// type is compared without touching the tests.
/// </summary>
internal static class ImageJson
{
    public static JsonNode ToJson(MetadataImage image) => JsonSerializer.SerializeToNode(image)!;

    public static void AssertEqual(MetadataImage expected, MetadataImage actual)
    {
        var left = ToJson(expected);
        var right = ToJson(actual);
        Assert.True(JsonNode.DeepEquals(left, right), $"images differ:\nexpected {left.ToJsonString()}\nactual   {right.ToJsonString()}");
    }

    /// <summary>Equal ignoring the controller id (a published image carries the leader this node knows).</summary>
    public static bool SameContent(MetadataImage a, MetadataImage b) =>
        JsonNode.DeepEquals(ToJson(a with { ControllerId = 0 }), ToJson(b with { ControllerId = 0 }));
}
