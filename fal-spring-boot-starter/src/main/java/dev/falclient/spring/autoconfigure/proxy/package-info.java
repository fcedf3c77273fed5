/** Auto-configuration of the fal proxy for browser clients, for WebFlux and Spring MVC applications. */
@NullMarked
package dev.falclient.spring.autoconfigure.proxy;

import org.jspecify.annotations.NullMarked;
