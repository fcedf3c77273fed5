package dev.falclient;

/**
 * The state of a queued fal request, as reported by {@code GET …/requests/{id}/status} or its event stream.
 * fal has exactly three states; a failed request still ends {@link Completed} with {@link Completed#failed()} set.
 *
 * <pre>{@code
 * Status status = handle.status(true);
 * if (status instanceof Queued q) log.info("position {}", q.position());
 * else if (status instanceof InProgress p) p.logs().forEach(l -> log.info(l.message()));
 * else if (status instanceof Completed c) log.info("done in {}s", c.metrics().get("inference_time"));
 * }</pre>
 */
public sealed interface Status permits Queued, InProgress, Completed {
}
