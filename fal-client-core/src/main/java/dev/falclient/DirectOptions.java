package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** What the options of every direct call (run, stream) hold; see {@link RequestOptions.DirectBuilder}. */
abstract class DirectOptions {

    private final CallOptions common;
    private final @Nullable Duration timeout;
    private final Consumer<String> onRequestId;

    DirectOptions(RequestOptions.DirectBuilder<?> b) {
        this.common = b.common(b.timeout);
        this.timeout = b.timeout;
        this.onRequestId = b.onRequestId;
    }

    CallOptions common() {
        return common;
    }

    /** {@code null} means: the client's run timeout. */
    @Nullable Duration timeout() {
        return timeout;
    }

    Consumer<String> onRequestId() {
        return onRequestId;
    }
}
