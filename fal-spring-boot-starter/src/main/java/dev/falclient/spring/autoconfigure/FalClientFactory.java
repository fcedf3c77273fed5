package dev.falclient.spring.autoconfigure;

import dev.falclient.FalClientBuilder;

/** Copies every {@link FalProperties} value (except credentials) onto a core client builder. */
final class FalClientFactory {

    private FalClientFactory() {
    }

    static <B extends FalClientBuilder<B>> B apply(FalProperties p, B builder) {
        builder.queueUrl(p.queueUrl())
                .runUrl(p.runUrl())
                .restUrl(p.restUrl())
                .cdnUrl(p.cdnUrl())
                .connectTimeout(p.connectTimeout())
                .responseTimeout(p.responseTimeout())
                .waitTimeout(p.waitTimeout())
                .pollInterval(p.pollInterval())
                .statusMode(p.statusMode())
                .streamIdleTimeout(p.streamIdleTimeout())
                .maxInMemorySize((int) p.maxInMemorySize().toBytes())
                .defaultPriority(p.defaultPriority())
                .maxAttempts(p.retry().maxAttempts())
                .initialBackoff(p.retry().initialBackoff())
                .maxBackoff(p.retry().maxBackoff())
                .jitter(p.retry().jitter())
                .maxRetryAfter(p.retry().maxRetryAfter())
                .retryAmbiguousSubmits(p.retry().retryAmbiguousSubmits())
                .maxConnections(p.pool().maxConnections())
                .pendingAcquireMaxCount(p.pool().pendingAcquireMaxCount())
                .pendingAcquireTimeout(p.pool().pendingAcquireTimeout())
                .trackSubmitted(p.events().trackSubmitted())
                .trackWithLogs(p.events().trackLogs())
                .maxTrackedRequests(p.events().maxTracked())
                .maxObservedRequests(p.events().maxObserved());
        if (p.pool().maxStatusStreams() != null) {
            builder.maxStatusStreams(p.pool().maxStatusStreams());
        }
        p.defaultHeaders().forEach(builder::defaultHeader);
        return builder;
    }
}
