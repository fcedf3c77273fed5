package dev.falclient.spring.proxy;

/**
 * Decides per request whether a caller may use the fal proxy ({@code fal.proxy.enabled=true}), after the target
 * passed the host check and {@code fal.proxy.allowed-endpoints}. A denied request is answered 403 and never reaches
 * fal. Without such a bean only the allow-list applies; with several, every one must allow.
 *
 * <pre>{@code
 * @Bean
 * FalProxyAccessPolicy onlySignedIn() {
 *     return request -> request.headers().containsHeader("X-Session");
 * }
 * }</pre>
 *
 * <p>Runs on the request's thread: in a WebFlux application that is an event-loop thread, so the policy must not
 * block (look at headers or a cached session, not a remote store).
 */
@FunctionalInterface
public interface FalProxyAccessPolicy {

    /** Whether this request may be sent to fal with the application's key. */
    boolean allows(FalProxyRequest request);
}
