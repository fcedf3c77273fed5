package dev.falclient.internal.queue;

import dev.falclient.Completed;
import dev.falclient.FalRequest;
import dev.falclient.InFlightRequest;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests the client watches right now, for {@code inFlight()}. An entry lives exactly as long as its wait
 * (added on subscribe, removed on any end), so the set is bounded by the tracked cap plus the callers waiting.
 */
final class InFlightRegistry {

    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    InFlightRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Starts listing {@code request}; {@link Entry#close()} ends it. */
    Entry open(FalRequest request, boolean tracked) {
        Entry entry = new Entry(request, tracked, clock.instant());
        entries.add(entry);
        return entry;
    }

    /** The current entries, oldest first. */
    List<InFlightRequest> snapshot() {
        return entries.stream().map(Entry::view).sorted(Comparator.comparing(InFlightRequest::since)).toList();
    }

    /** One watched request; its status is updated from the watch. */
    final class Entry implements AutoCloseable {
        private final FalRequest request;
        private final boolean tracked;
        private final Instant since;
        private volatile InFlightRequest view;

        private Entry(FalRequest request, boolean tracked, Instant since) {
            this.request = request;
            this.tracked = tracked;
            this.since = since;
            this.view = new InFlightRequest(request.requestId(), request.endpointId(), tracked,
                    InFlightRequest.SUBMITTED, -1, since, since);
        }

        void status(Status status) {
            String name = status instanceof Queued ? "IN_QUEUE"
                    : status instanceof InProgress ? "IN_PROGRESS"
                    : status instanceof Completed ? "COMPLETED" : InFlightRequest.SUBMITTED;
            int position = status instanceof Queued q ? q.position() : -1;
            view = new InFlightRequest(request.requestId(), request.endpointId(), tracked, name, position, since,
                    clock.instant());
        }

        InFlightRequest view() {
            return view;
        }

        @Override
        public void close() {
            entries.remove(this);
        }
    }
}
