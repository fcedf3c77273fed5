/**
 * Streaming runs ({@code POST fal.run/{endpointId}/stream}, server-sent events): events parsed into JSON in order,
 * in-band error events turned into the API's exceptions, an idle watchdog and the client's close. Not API.
 */
@NullMarked
package dev.falclient.internal.stream;

import org.jspecify.annotations.NullMarked;
