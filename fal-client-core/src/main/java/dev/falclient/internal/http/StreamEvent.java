package dev.falclient.internal.http;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One event of a fal stream, as {@link EventStreamDecoder} reads it: its type, and its data as the UTF-8 bytes fal
 * sent (JSON is parsed from them without a String in between). A keep-alive comment is an event with neither.
 *
 * @param type the {@code event:} field, {@code null} when there is none
 * @param data the {@code data:} lines joined with LF, {@code null} when there are none
 */
public record StreamEvent(@Nullable String type, byte @Nullable [] data) {

    /** Whether the data holds anything but whitespace. */
    public boolean hasData() {
        if (data == null) {
            return false;
        }
        for (byte b : data) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return true;
            }
        }
        return false;
    }

    /** The data as text; empty when there is none. */
    public String text() {
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    }

    public boolean isType(String name) {
        return name.equals(type);
    }

    @Override
    public String toString() {
        return "StreamEvent[type=" + type + ", data=" + text() + "]";
    }
}
