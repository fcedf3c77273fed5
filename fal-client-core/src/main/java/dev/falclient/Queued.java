package dev.falclient;

/**
 * The request waits in fal's queue.
 *
 * <pre>{@code if (status instanceof Queued q) System.out.println("ahead of us: " + q.position()); }</pre>
 *
 * @param position number of requests ahead of this one (0-based)
 */
public record Queued(int position) implements Status {
}
