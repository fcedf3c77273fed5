/**
 * fal's queue protocol: request URLs, submit, status, result and cancel, the status watcher (stream, poll,
 * fallback) and background tracking. Not API.
 */
@NullMarked
package dev.falclient.internal.queue;

import org.jspecify.annotations.NullMarked;
