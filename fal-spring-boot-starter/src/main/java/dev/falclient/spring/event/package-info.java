/**
 * Spring application events for fal request lifecycles ({@link dev.falclient.spring.event.FalRequestEvent} and
 * subclasses) and the {@link dev.falclient.spring.event.FalEventPublisher} bridge that publishes them.
 */
@NullMarked
package dev.falclient.spring.event;

import org.jspecify.annotations.NullMarked;
