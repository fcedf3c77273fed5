package dev.falclient.sample;

import dev.falclient.RequestLog;
import dev.falclient.spring.event.FalRequestCancelledEvent;
import dev.falclient.spring.event.FalRequestCompletedEvent;
import dev.falclient.spring.event.FalRequestEvent;
import dev.falclient.spring.event.FalRequestFailedEvent;
import dev.falclient.spring.event.FalRequestInProgressEvent;
import dev.falclient.spring.event.FalRequestLogEvent;
import dev.falclient.spring.event.FalRequestQueuedEvent;
import dev.falclient.spring.event.FalRequestResultEvent;
import dev.falclient.spring.event.FalRequestSubmittedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every request transition the starter publishes, one short line each, e.g.
 * {@code [3f2a1c9e] queued at position 2}. Listeners run on the starter's {@code fal-events-*} threads, never on a
 * Netty event loop, so they may do a little work; long work belongs in an {@code @Async} listener.
 */
@Component
public class FalEventLogger {

    private static final Logger log = LoggerFactory.getLogger("dev.falclient.sample.events");

    @EventListener
    void on(FalRequestSubmittedEvent e) {
        log.info("{} submitted to {}", tag(e), e.getEndpointId());
    }

    @EventListener
    void on(FalRequestQueuedEvent e) {
        log.info("{} queued at position {}", tag(e), e.getPosition());
    }

    @EventListener
    void on(FalRequestInProgressEvent e) {
        log.info("{} in progress", tag(e));
    }

    @EventListener
    void on(FalRequestLogEvent e) {
        for (RequestLog line : e.getLogs()) {
            log.info("{}   | {}", tag(e), line.message());
        }
    }

    @EventListener
    void on(FalRequestCompletedEvent e) {
        Object seconds = e.getStatus().metrics().get("inference_time");
        String took = seconds instanceof Number n ? String.format(" in %.1f s", n.doubleValue()) : "";
        if (e.isFailed()) {
            log.warn("{} completed with an error{}: {} ({})", tag(e), took, e.getStatus().error(),
                    e.getStatus().errorType());
        } else {
            log.info("{} completed{}", tag(e), took);
        }
    }

    @EventListener
    void on(FalRequestResultEvent e) {
        String url = GenerationEventStore.firstImageUrl(e.getResult());
        log.info("{} result: {}", tag(e), url != null ? "image " + url : e.getResult());
    }

    @EventListener
    void on(FalRequestFailedEvent e) {
        log.warn("{} failed: {}", tag(e), e.getError().getMessage());
    }

    @EventListener
    void on(FalRequestCancelledEvent e) {
        log.info("{} cancelled", tag(e));
    }

    private static String tag(FalRequestEvent e) {
        String id = e.getRequestId();
        return "[" + (id.length() > 8 ? id.substring(0, 8) : id) + "]";
    }
}
