package dev.falclient;

/**
 * One log line of a running request. fal sends two shapes (flat {@code level}/{@code source}, or nested
 * {@code labels}); both are read into this record. Only {@code message} is always present.
 *
 * <pre>{@code progress.logs().forEach(log -> System.out.println(log.timestamp() + " " + log.message())); }</pre>
 *
 * @param message   the text
 * @param level     e.g. {@code INFO}, {@code STDERR}; empty if fal sent none
 * @param source    e.g. {@code USER}; empty if fal sent none
 * @param timestamp ISO-8601 timestamp as sent by fal; empty if fal sent none
 */
public record RequestLog(String message, String level, String source, String timestamp) {

    public RequestLog {
        message = message == null ? "" : message;
        level = level == null ? "" : level;
        source = source == null ? "" : source;
        timestamp = timestamp == null ? "" : timestamp;
    }
}
