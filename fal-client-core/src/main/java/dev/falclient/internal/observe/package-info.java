/** Listener fan-out: each transition once per request, ordered per request, off the event loop. Not API. */
@NullMarked
package dev.falclient.internal.observe;

import org.jspecify.annotations.NullMarked;
