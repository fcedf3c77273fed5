/**
 * An in-process fake of fal's HTTP API for tests and offline runs: {@link dev.falclient.emulator.FalEmulator}
 * serves the queue, run, REST and CDN routes and the realtime WebSocket, scripted per endpoint, with fault injection,
 * recording and signed webhook deliveries.
 *
 * <pre>{@code
 * try (FalEmulator emulator = FalEmulator.start()) {
 *     FalClient fal = FalClient.builder().key("any").queueUrl(emulator.queueUrl()).runUrl(emulator.runUrl())
 *             .restUrl(emulator.restUrl()).cdnUrl(emulator.cdnUrl()).build();
 * }
 * }</pre>
 */
@NullMarked
package dev.falclient.emulator;

import org.jspecify.annotations.NullMarked;
