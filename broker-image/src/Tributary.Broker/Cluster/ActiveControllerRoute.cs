using Tributary.Broker.Metadata;

namespace Tributary.Broker.Cluster;

/// <summary>
/// The one routing rule of a controller node: run an operation on the local controller while this
/// node is the active controller, and on the forwarding one otherwise. Leadership can move during
/// the operation: when the local controller answers NOT_CONTROLLER (or throws
/// <see cref="NotControllerException"/>) its commit did not happen, and the whole operation goes to
/// the new active controller, which validates it afresh.
/// </summary>
internal static class ActiveControllerRoute
{
    public static async ValueTask<T> RunAsync<TController, T>(IQuorumView quorum, TController local, TController remote,
        Func<TController, ValueTask<T>> operation, Func<T, bool> notController)
    {
        if (quorum.IsActiveController)
        {
            try
            {
                var result = await operation(local).ConfigureAwait(false);
                if (!notController(result))
                {
                    return result;
                }
            }
            catch (NotControllerException)
            {
                // Lost leadership before committing: the new active controller does it.
            }
        }

        return await operation(remote).ConfigureAwait(false);
    }
}
