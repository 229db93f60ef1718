package io.carechat.messaging.nats.internal;

import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;

/**
 * Where the bus's events live in JetStream: the stream, the subjects the nodes publish on, and the
 * limits of a stream the bus creates. Not API. Immutable and thread-safe.
 *
 * @param streamName the stream
 * @param subjectPrefix the nodes publish on {@code <subjectPrefix>.<nodeId>}
 * @param maxAge how long the stream keeps an event
 * @param maxBytes how many bytes the stream keeps at most
 * @param replicas how many servers hold the stream
 */
public record StreamSettings(String streamName, String subjectPrefix, Duration maxAge, long maxBytes, int replicas) {
    /** The window in which JetStream drops a resent event with a message id it has seen. */
    private static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);

    /**
     * The subjects the stream holds and each node's consumer reads.
     *
     * @return the wildcard under the prefix
     */
    public String subjects() {
        return subjectPrefix + ".>";
    }

    /**
     * The subject a node publishes on.
     *
     * @param nodeId the node
     * @return the subject
     */
    public String subjectOf(String nodeId) {
        return subjectPrefix + "." + nodeId;
    }

    /**
     * The configuration of the stream the bus creates when it is missing: file storage, limits
     * retention that discards the oldest events first, and a duplicate window for resends.
     *
     * @return the stream's configuration
     */
    public StreamConfiguration toConfiguration() {
        Duration window = DUPLICATE_WINDOW.compareTo(maxAge) < 0 ? DUPLICATE_WINDOW : maxAge;
        return StreamConfiguration.builder()
                .name(streamName)
                .description("CareChat events, ids only")
                .subjects(subjects())
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.Old)
                .maxAge(maxAge)
                .maxBytes(maxBytes)
                .replicas(replicas)
                .duplicateWindow(window)
                .build();
    }
}
