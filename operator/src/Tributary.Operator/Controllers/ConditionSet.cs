using Tributary.Operator.Api;

namespace Tributary.Operator.Controllers;

/// <summary>Builds a condition list, keeping lastTransitionTime when a condition's status did not change.</summary>
public sealed class ConditionSet(IReadOnlyList<Condition>? previous, long generation, DateTimeOffset now)
{
    private readonly List<Condition> _conditions = [];

    public ConditionSet Set(string type, ConditionStatus status, string reason, string message)
    {
        var old = previous?.FirstOrDefault(c => c.Type == type);
        _conditions.Add(new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = old is not null && old.Status == status && old.LastTransitionTime is not null
                ? old.LastTransitionTime
                : Kube.KubeJson.FormatTime(now),
            ObservedGeneration = generation,
        });
        return this;
    }

    public List<Condition> ToList() => [.. _conditions];
}
