namespace Tributary.Operator.Healing;

/// <summary>
/// Decides, without I/O, which broker pods to replace (MSK-style broker replacement):
/// <list type="bullet">
/// <item>A pod whose node has been NotReady/Unknown (or gone) for at least the timeout is force-deleted:
/// the kubelet there cannot confirm the deletion, so without gracePeriodSeconds=0 the pod (and with it
/// the StatefulSet ordinal) would stay stuck Terminating forever. Its claim stays: the zone nodeAffinity
/// brings the new pod to the same zone, where the volume attaches again.</item>
/// <item>A pod whose volume is gone (claim Lost, or its PersistentVolume deleted) gets its claim deleted
/// and is force-deleted, so the StatefulSet creates a fresh empty claim and the broker re-replicates.</item>
/// </list>
/// Nothing happens when brokerReplacement is disabled.
/// </summary>
public static class HealingPlanner
{
    public static HealingPlan Plan(HealingObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!observation.Enabled)
        {
            return new HealingPlan([], null);
        }

        var claims = new List<HealingAction>();
        var pods = new List<HealingAction>();
        TimeSpan? recheck = null;
        foreach (var pod in observation.Pods.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (observation.Volumes.TryGetValue(pod.Pvc, out var volume) && volume.Lost)
            {
                if (!volume.Terminating)
                {
                    claims.Add(new HealingAction(HealingActionKind.DeleteClaim, pod.Pvc, $"the volume of claim {pod.Pvc} is gone; recreating it empty so broker pod {pod.Name} re-replicates"));
                }

                pods.Add(new HealingAction(HealingActionKind.ForceDeletePod, pod.Name, $"the volume of claim {pod.Pvc} is gone; replacing pod {pod.Name}"));
                continue;
            }

            if (pod.NodeName is not { Length: > 0 } nodeName)
            {
                continue;
            }

            DateTimeOffset since;
            string problem;
            if (observation.Nodes.TryGetValue(nodeName, out var node))
            {
                if (node.Ready)
                {
                    continue;
                }

                since = node.NotReadySince ?? observation.Now;
                problem = $"node {nodeName} is NotReady";
            }
            else
            {
                since = observation.NodeMissingSince.TryGetValue(nodeName, out var missing) ? missing : observation.Now;
                problem = $"node {nodeName} is gone";
            }

            var elapsed = observation.Now - since;
            if (elapsed >= observation.NodeNotReadyTimeout)
            {
                pods.Add(new HealingAction(HealingActionKind.ForceDeletePod, pod.Name,
                    $"{problem} for {Format(elapsed)} (timeout {Format(observation.NodeNotReadyTimeout)}); replacing {(pod.Terminating ? "stuck " : "")}pod {pod.Name}, its volume claim {pod.Pvc} is kept"));
            }
            else
            {
                var remaining = observation.NodeNotReadyTimeout - elapsed;
                recheck = recheck is null || remaining < recheck ? remaining : recheck;
            }
        }

        return new HealingPlan([.. claims, .. pods], recheck);
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds}s" : $"{(int)t.TotalSeconds}s";
}
