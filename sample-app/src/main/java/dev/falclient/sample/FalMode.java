package dev.falclient.sample;

/**
 * Where the sample's fal client sends its requests, chosen with {@code sample.fal.mode}.
 *
 * <ul>
 *   <li>{@link #AUTO} (default): {@link #LIVE} when a fal key is configured ({@code fal.key}, {@code FAL_KEY},
 *   {@code fal.key-id}+{@code fal.key-secret} or {@code FAL_KEY_ID}+{@code FAL_KEY_SECRET}), else
 *   {@link #EMULATOR}.</li>
 *   <li>{@link #EMULATOR}: an in-process fal emulator; nothing leaves the machine, no key needed.</li>
 *   <li>{@link #LIVE}: real fal (or whatever {@code fal.queue-url} points at).</li>
 * </ul>
 *
 * <p>This choice lives in the sample, never in the starter: a production application with a missing key must fail
 * loudly instead of silently talking to an emulator.
 */
public enum FalMode {
    AUTO, EMULATOR, LIVE
}
