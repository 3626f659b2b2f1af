namespace Tributary.Operator.Rolling;

/// <summary>
/// Decides the next step of a rolling restart from observed state alone (no I/O), so each reconcile
/// re-derives it and an operator restart mid-roll simply continues. Rules:
/// <list type="number">
/// <item>Nothing happens until every StatefulSet has observed its latest template.</item>
/// <item>One node at a time: while any pod is missing, terminating or not Ready, wait, except that a
/// pending pod which is itself not Ready is restarted first (it serves nothing, so it needs no probe).</item>
/// <item>Otherwise restart the pending node with the lowest id that is not the active controller;
/// the active controller goes last, so leadership moves once instead of at every step.</item>
/// </list>
/// </summary>
public static class RollPlanner
{
    public static RollAction Plan(RollObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var pending = observation.Nodes.Where(n => n.RestartReason is not null).ToList();
        if (!observation.RevisionsSettled)
        {
            return new RollAction(RollActionKind.Wait, null, "waiting for the StatefulSets to observe their new templates", pending.Count, false);
        }

        if (pending.Count == 0)
        {
            return RollAction.None;
        }

        var missing = observation.Nodes.Where(n => !n.Exists).OrderBy(n => n.Id).FirstOrDefault();
        if (missing is not null)
        {
            return new RollAction(RollActionKind.Wait, null, $"waiting for pod {missing.Pod} (node {missing.Id}) to be recreated", pending.Count, false);
        }

        var unreadyPending = pending.Where(n => !n.Ready).OrderBy(n => n.Id).FirstOrDefault();
        if (unreadyPending is not null)
        {
            return new RollAction(RollActionKind.Restart, unreadyPending,
                $"restarting pod {unreadyPending.Pod} (node {unreadyPending.Id}, not Ready): {unreadyPending.RestartReason}", pending.Count, false);
        }

        var unready = observation.Nodes.Where(n => !n.Ready).OrderBy(n => n.Id).FirstOrDefault();
        if (unready is not null)
        {
            return new RollAction(RollActionKind.Wait, null, $"waiting for pod {unready.Pod} (node {unready.Id}) to become Ready", pending.Count, false);
        }

        var next = pending
            .OrderBy(n => n.Id == observation.ActiveControllerId ? 1 : 0)
            .ThenBy(n => n.Id)
            .First();
        return new RollAction(RollActionKind.Restart, next, $"restarting pod {next.Pod} (node {next.Id}): {next.RestartReason}", pending.Count, true);
    }
}
