namespace Tributary.Kube;

/// <summary>Decides how long an item waits before its next retry.</summary>
public interface IRateLimiter<in T>
{
    /// <summary>Delay for the next retry of this item (counts as one more failure).</summary>
    TimeSpan When(T item);

    /// <summary>Clears the item's failure history.</summary>
    void Forget(T item);

    int NumRequeues(T item);
}
