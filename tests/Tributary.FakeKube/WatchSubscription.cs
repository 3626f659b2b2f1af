using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Tributary.FakeKube;

/// <summary>A live watch: matching changes arrive as ready-to-send event lines on <see cref="Lines"/>.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    internal WatchSubscription(ObjectStore store, ResourceInfo info, string? ns, LabelSelector labels, FieldSelector fields)
    {
        _store = store;
        Info = info;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
    }

    public ResourceInfo Info { get; }

    public string? Namespace { get; }

    internal LabelSelector Labels { get; }

    internal FieldSelector Fields { get; }

    public ChannelReader<string> Lines => _channel.Reader;

    /// <summary>Queues a BOOKMARK at the store's current resourceVersion, ordered after every event already queued.</summary>
    public void Bookmark() => _store.QueueBookmark(this);

    internal void Write(string type, string objectJson) =>
        _channel.Writer.TryWrite("{\"type\":\"" + type + "\",\"object\":" + objectJson + "}");

    internal void Offer(HistoryEntry entry)
    {
        if (entry.ResourceKey != Info.Key || (Namespace is not null && entry.Namespace != Namespace))
        {
            return;
        }
        var nowMatches = Matches(entry.Object);
        switch (entry.Type)
        {
            case "MODIFIED":
                var wasMatching = entry.Previous is not null && Matches(entry.Previous);
                if (nowMatches)
                {
                    Write(wasMatching ? "MODIFIED" : "ADDED", entry.ObjectJson);
                }
                else if (wasMatching)
                {
                    // The object left the selection: watchers see it as deleted.
                    Write("DELETED", entry.ObjectJson);
                }
                break;
            default:
                if (nowMatches)
                {
                    Write(entry.Type, entry.ObjectJson);
                }
                break;
        }
    }

    internal bool Matches(JsonObject obj) => Labels.Matches(obj) && Fields.Matches(obj);

    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _store.Unsubscribe(this);
        Complete();
    }
}
