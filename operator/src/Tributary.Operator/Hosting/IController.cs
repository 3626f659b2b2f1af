namespace Tributary.Operator.Hosting;

/// <summary>
/// A controller the operator host runs while it holds the leader lease (KafkaCluster, Topic, ...).
/// The host starts every registered controller when it becomes leader and cancels the token when it
/// stops leading or shuts down; readiness (/readyz) waits for <see cref="HasSynced"/> of each.
/// </summary>
public interface IController
{
    /// <summary>Short lowercase name used in logs and metric labels, e.g. "kafkacluster".</summary>
    string Name { get; }

    /// <summary>True once the controller's informers have listed their resources.</summary>
    bool HasSynced { get; }

    /// <summary>Runs informers and workers until the token is cancelled; returns when fully stopped.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
