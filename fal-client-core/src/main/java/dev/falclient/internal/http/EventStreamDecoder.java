package dev.falclient.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Splits a {@code text/event-stream} body into events by the WHATWG rules: lines end in CRLF, LF or CR; {@code data}
 * lines join with LF; one space after the colon is dropped; {@code id}, {@code retry} and unknown fields are skipped;
 * a leading BOM is ignored. Comments are delivered (as events with neither type nor data), because fal's keep-alive
 * comments are what a streaming run's idle timeout counts as activity. Two choices keep every event: one that names a
 * type but carries no data is still delivered (fal's error events), and an event cut off by the end of the body is
 * too.
 *
 * <p>It replaces Spring's {@code ServerSentEventHttpMessageReader} on fal's streams because the benchmark's profile
 * put that reader's line splitting (a buffer slice, a matcher and a String per line) first among the costs of a status
 * event, of which a stream delivers dozens per request. One decoder per stream: its buffers arrive one at a time.
 */
final class EventStreamDecoder {

    private static final ByteArrayDecoder BYTES = new ByteArrayDecoder();
    private static final ResolvableType BYTE_ARRAY = ResolvableType.forClass(byte[].class);

    private final int maxEventBytes;
    private byte[] line = new byte[256];
    private int lineLength;
    private int eventBytes;
    private boolean afterCr;
    private boolean started;
    /** The data lines so far, joined with LF; {@code dataLength} -1 when there are none. */
    private byte[] data = new byte[256];
    private int dataLength = -1;
    private @Nullable String type;
    private boolean comment;

    private EventStreamDecoder(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /** The events of {@code body}; an event larger than {@code maxEventBytes} fails with DataBufferLimitException. */
    static Flux<StreamEvent> decode(Flux<DataBuffer> body, int maxEventBytes) {
        return Flux.defer(() -> {
            EventStreamDecoder decoder = new EventStreamDecoder(maxEventBytes);
            return body.map(EventStreamDecoder::bytes)
                    .concatMapIterable(decoder::feed)
                    .concatWith(Mono.fromCallable(decoder::finish));
        });
    }

    /** The buffer's bytes; Spring's decoder releases the buffer. */
    private static byte[] bytes(DataBuffer buffer) {
        return BYTES.decode(buffer, BYTE_ARRAY, null, null);
    }

    private List<StreamEvent> feed(byte[] chunk) {
        List<StreamEvent> events = null;
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
            StreamEvent event = endLine();
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
    private @Nullable StreamEvent finish() {
        StreamEvent event = lineLength > 0 ? endLine() : null;
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

    private @Nullable StreamEvent endLine() {
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
            comment = true;
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
        if (is("data", from, colon)) {
            addData(valueFrom, length);
        } else if (is("event", from, colon)) {
            type = new String(line, valueFrom, length - valueFrom, StandardCharsets.UTF_8);
        }
        return null;
    }

    private void addData(int from, int to) {
        int start = dataLength < 0 ? 0 : dataLength + 1;
        int end = start + to - from;
        if (end > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, end));
        }
        if (dataLength >= 0) {
            data[dataLength] = '\n';
        }
        System.arraycopy(line, from, data, start, to - from);
        dataLength = end;
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

    private @Nullable StreamEvent dispatch() {
        eventBytes = 0;
        if (dataLength < 0 && type == null && !comment) {
            return null;
        }
        StreamEvent event = new StreamEvent(type, dataLength < 0 ? null : Arrays.copyOf(data, dataLength));
        dataLength = -1;
        type = null;
        comment = false;
        return event;
    }
}
