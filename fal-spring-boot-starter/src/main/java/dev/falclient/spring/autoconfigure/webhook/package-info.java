/** Auto-configuration of the verified webhook receiver, for WebFlux and Spring MVC applications. */
@NullMarked
package dev.falclient.spring.autoconfigure.webhook;

import org.jspecify.annotations.NullMarked;
