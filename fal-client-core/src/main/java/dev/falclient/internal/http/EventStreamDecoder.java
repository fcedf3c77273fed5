package dev.falclient.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Splits a {@code text/event-stream} body into events by the WHATWG rules: lines end in CRLF, LF or CR; {@code data}
 * lines join with LF; one space after the colon is dropped; {@code id}, {@code retry} and unknown fields are skipped;
 * a leading BOM is ignored. Comments are delivered (as events with only a comment), because fal's keep-alive comments
 * are what a streaming run's idle timeout counts as activity. Two choices keep every event: one that names a type but
 * carries no data is still delivered (fal's error events), and an event cut off by the end of the body is too.
 *
 * <p>It replaces Spring's {@code ServerSentEventHttpMessageReader} on fal's streams because the benchmark's profile
 * put that reader's line splitting (a buffer slice, a matcher and a String per line) first among the costs of a status
 * event, of which a stream delivers dozens per request. One decoder per stream: its buffers arrive one at a time.
 */
final class EventStreamDecoder {

    private final int maxEventBytes;
    private byte[] line = new byte[256];
    private int lineLength;
    private int eventBytes;
    private boolean afterCr;
    private boolean started;
    private @Nullable StringBuilder data;
    private @Nullable String type;
    private @Nullable StringBuilder comment;

    private EventStreamDecoder(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /** The events of {@code body}; an event larger than {@code maxEventBytes} fails with DataBufferLimitException. */
    static Flux<ServerSentEvent<String>> decode(Flux<DataBuffer> body, int maxEventBytes) {
        return Flux.defer(() -> {
            EventStreamDecoder decoder = new EventStreamDecoder(maxEventBytes);
            return body.map(EventStreamDecoder::bytes)
                    .concatMapIterable(decoder::feed)
                    .concatWith(Mono.fromCallable(decoder::finish));
        });
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private List<ServerSentEvent<String>> feed(byte[] chunk) {
        List<ServerSentEvent<String>> events = null;
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            if (b != '\n' && b != '\r') {
                afterCr = false;
                continue;
            }
            if (b == '\n' && afterCr) {
                // the LF of a CRLF whose CR ended the line
                afterCr = false;
                start = i + 1;
                continue;
            }
            append(chunk, start, i);
            afterCr = b == '\r';
            start = i + 1;
            ServerSentEvent<String> event = endLine();
            if (event != null) {
                if (events == null) {
                    events = new ArrayList<>(1);
                }
                events.add(event);
            }
        }
        append(chunk, start, chunk.length);
        return events == null ? List.of() : events;
    }

    /** At the end of the body: an unterminated last line and event still count. */
    private @Nullable ServerSentEvent<String> finish() {
        ServerSentEvent<String> event = lineLength > 0 ? endLine() : null;
        return event != null ? event : dispatch();
    }

    private void append(byte[] chunk, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (eventBytes + lineLength + n > maxEventBytes) {
            throw new DataBufferLimitException("An event of fal's stream is larger than the client's in-memory limit "
                    + "of " + maxEventBytes + " bytes (maxInMemorySize)");
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    private @Nullable ServerSentEvent<String> endLine() {
        int length = lineLength;
        lineLength = 0;
        int from = 0;
        if (!started) {
            started = true;
            if (length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
                from = 3;
            }
        }
        if (length == from) {
            return dispatch();
        }
        eventBytes += length;
        if (line[from] == ':') {
            String text = new String(line, from + 1, length - from - 1, StandardCharsets.UTF_8);
            comment = comment == null ? new StringBuilder(text) : comment.append('\n').append(text);
            return null;
        }
        int colon = from;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        int valueFrom = colon == length ? length : colon + 1;
        if (valueFrom < length && line[valueFrom] == ' ') {
            valueFrom++;
        }
        String value = new String(line, valueFrom, length - valueFrom, StandardCharsets.UTF_8);
        if (is("data", from, colon)) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        } else if (is("event", from, colon)) {
            type = value;
        }
        return null;
    }

    private boolean is(String field, int from, int to) {
        if (to - from != field.length()) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            if (line[from + i] != field.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private @Nullable ServerSentEvent<String> dispatch() {
        if (data == null && type == null && comment == null) {
            eventBytes = 0;
            return null;
        }
        ServerSentEvent.Builder<String> event = ServerSentEvent.builder();
        if (data != null) {
            event.data(data.toString());
        }
        if (type != null) {
            event.event(type);
        }
        if (comment != null) {
            event.comment(comment.toString());
        }
        data = null;
        type = null;
        comment = null;
        eventBytes = 0;
        return event.build();
    }
}
