using Tributary.Kube;
using Tributary.Operator.Api;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// Builds the Ready/Reconciling/Stalled triple for a health state. lastTransitionTime only moves when a
/// condition's status flips, so repeated reconciles write identical status (no watch churn).
/// </summary>
public static class TopicConditions
{
    public static List<Condition> Build(TopicHealth health, string reason, string message, long generation, IReadOnlyList<Condition>? previous, DateTimeOffset now)
    {
        var ready = health == TopicHealth.Ready;
        var reconciling = health == TopicHealth.Reconciling;
        var stalled = health == TopicHealth.Stalled;
        return
        [
            Make(ConditionTypes.Ready, ready, reason, message),
            Make(ConditionTypes.Reconciling, reconciling, reconciling ? reason : "NotReconciling", reconciling ? message : ""),
            Make(ConditionTypes.Stalled, stalled, stalled ? reason : "NotStalled", stalled ? message : ""),
        ];

        Condition Make(string type, bool value, string why, string text)
        {
            var status = value ? ConditionStatus.True : ConditionStatus.False;
            var old = previous?.FirstOrDefault(c => c.Type == type);
            var since = old is not null && old.Status == status && old.LastTransitionTime is not null
                ? old.LastTransitionTime
                : KubeJson.FormatTime(now);
            return new Condition
            {
                Type = type,
                Status = status,
                Reason = why,
                Message = text,
                LastTransitionTime = since,
                ObservedGeneration = generation,
            };
        }
    }
}
