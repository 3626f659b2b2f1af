namespace Tributary.Broker.Config;

/// <summary>
/// Standard Kafka broker keys that Tributary accepts without acting on them (JVM tuning, thread
/// counts of Kafka's own architecture, features not built yet). Listing them keeps a stock Kafka
/// <c>server.properties</c> from producing a wall of "unknown key" warnings; a typo still warns.
/// </summary>
internal static class AcceptedKafkaKeys
{
    public static readonly string[] Keys =
    [
        "num.recovery.threads.per.data.dir", "background.threads", "log.cleaner.threads",
        "log.cleaner.dedupe.buffer.size", "log.cleaner.io.buffer.size",
        "log.cleaner.min.cleanable.ratio", "log.cleaner.delete.retention.ms", "log.cleaner.min.compaction.lag.ms",
        "log.cleaner.max.compaction.lag.ms", "log.flush.scheduler.interval.ms",
        "log.preallocate", "log.segment.delete.delay.ms", "log.message.timestamp.before.max.ms",
        "log.message.timestamp.after.max.ms", "log.local.retention.ms", "log.local.retention.bytes",
        "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
        "group.coordinator.rebalance.protocols", "group.consumer.session.timeout.ms", "group.consumer.heartbeat.interval.ms",
        "offsets.commit.timeout.ms", "offsets.load.buffer.size", "offsets.retention.check.interval.ms",
        "offsets.topic.compression.codec", "transaction.state.log.segment.bytes",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms", "transaction.remove.expired.transaction.cleanup.interval.ms",
        "replica.socket.timeout.ms", "replica.socket.receive.buffer.bytes", "replica.fetch.min.bytes",
        "replica.fetch.backoff.ms", "replica.high.watermark.checkpoint.interval.ms", "replica.selector.class",
        "auto.leader.rebalance.enable", "leader.imbalance.check.interval.seconds", "leader.imbalance.per.broker.percentage",
        "controller.quorum.election.timeout.ms", "controller.quorum.fetch.timeout.ms", "controller.quorum.election.backoff.max.ms",
        "controller.quorum.request.timeout.ms", "controller.quorum.retry.backoff.ms", "controller.quorum.append.linger.ms",
        "metadata.log.dir", "metadata.log.segment.bytes", "metadata.log.segment.ms", "metadata.max.retention.bytes",
        "metadata.max.retention.ms", "broker.heartbeat.interval.ms", "broker.session.timeout.ms",
        "max.connections", "max.connections.per.ip", "max.connections.per.ip.overrides", "max.connection.creation.rate",
        "connection.failed.authentication.delay.ms", "socket.listen.backlog.size", "request.timeout.ms",
        "metric.reporters", "metrics.num.samples", "metrics.sample.window.ms", "metrics.recording.level",
        "authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found", "principal.builder.class",
        "sasl.enabled.mechanisms", "sasl.mechanism.inter.broker.protocol", "sasl.mechanism.controller.protocol",
        "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password", "ssl.keystore.type",
        "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type", "ssl.client.auth",
        "ssl.endpoint.identification.algorithm", "ssl.enabled.protocols", "ssl.protocol", "ssl.cipher.suites",
        "ssl.keystore.certificate.chain", "ssl.keystore.key", "ssl.truststore.certificates",
        "zookeeper.connect", "zookeeper.connection.timeout.ms", "delegation.token.secret.key",
        "producer.id.expiration.ms", "producer.purgatory.purge.interval.requests", "fetch.purgatory.purge.interval.requests",
        "quota.window.num", "quota.window.size.seconds", "client.quota.callback.class",
        "remote.log.storage.system.enable", "unstable.api.versions.enable", "unstable.feature.versions.enable",
    ];
}
