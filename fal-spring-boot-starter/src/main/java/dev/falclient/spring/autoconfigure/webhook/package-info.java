/** Auto-configuration of the verified webhook receiver, for WebFlux and Spring MVC applications. */
package dev.falclient.spring.autoconfigure.webhook;
