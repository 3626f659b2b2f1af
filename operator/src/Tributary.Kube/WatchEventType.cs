namespace Tributary.Kube;

/// <summary>Watch event types. ERROR events are turned into exceptions by the client.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
