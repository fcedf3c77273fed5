/**
 * The realtime engine: short-lived tokens (fetched, cached, refreshed at 90% of their life), the WebSocket session
 * on Reactor Netty (msgpack frames, fal's meta messages, reconnects) and the blocking connection. Not API.
 */
@NullMarked
package dev.falclient.internal.realtime;

import org.jspecify.annotations.NullMarked;
