package dev.falclient.spring.autoconfigure;

import dev.falclient.FalCredentials;
import dev.falclient.settings.UrlSettings;
import java.util.Objects;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the auto-configured fal client connects and which key it sends: Spring Boot's {@link ConnectionDetails}
 * idiom for "point this at another server". The starter registers one read from {@code fal.key},
 * {@code fal.key-id}/{@code fal.key-secret}, {@code FAL_KEY} and {@code fal.*-url} unless the application (or a
 * test, as {@code @AutoConfigureFalEmulator} does) defines its own bean of this type; the client beans read this
 * bean, never those properties. A custom bean only overrides what it overrides: the URLs default to fal's hosts.
 *
 * <pre>{@code
 * @Bean
 * FalConnectionDetails falConnectionDetails(Vault vault) {
 *     return () -> FalCredentials.supplier(() -> vault.read("fal-key")); // fal's hosts, key from the vault
 * }
 * }</pre>
 *
 * <p>The key is never logged, nor shown by {@code toString()}: the startup log line and the health details name only
 * its source and a masked form.
 */
@FunctionalInterface
public interface FalConnectionDetails extends ConnectionDetails {

    /** Where the key comes from, resolved on every request (so a rotated key is picked up without a restart). */
    FalCredentials getCredentials();

    /** Base URL of fal's queue API (default {@value UrlSettings#DEFAULT_QUEUE_URL}). */
    default String getQueueUrl() {
        return UrlSettings.DEFAULT_QUEUE_URL;
    }

    /** Base URL of fal's direct run API (default {@value UrlSettings#DEFAULT_RUN_URL}). */
    default String getRunUrl() {
        return UrlSettings.DEFAULT_RUN_URL;
    }

    /** Base URL of fal's REST API: tokens, storage (default {@value UrlSettings#DEFAULT_REST_URL}). */
    default String getRestUrl() {
        return UrlSettings.DEFAULT_REST_URL;
    }

    /** Base URL of fal's CDN (default {@value UrlSettings#DEFAULT_CDN_URL}). */
    default String getCdnUrl() {
        return UrlSettings.DEFAULT_CDN_URL;
    }

    /**
     * Connection details with fixed URLs, e.g. a fal emulator or gateway; {@code toString()} names the URLs only.
     *
     * <pre>{@code FalConnectionDetails.of(FalCredentials.key("test-key"), new UrlSettings(queue, run, rest, cdn))}</pre>
     */
    static FalConnectionDetails of(FalCredentials credentials, UrlSettings urls) {
        return new FixedFalConnectionDetails(Objects.requireNonNull(credentials, "credentials"),
                Objects.requireNonNull(urls, "urls"));
    }

    /**
     * The four URLs as the core client takes them, checked by its rules.
     *
     * @throws dev.falclient.settings.InvalidSettingException when a URL is not an absolute http(s) URL
     */
    default UrlSettings getUrls() {
        return new UrlSettings(getQueueUrl(), getRunUrl(), getRestUrl(), getCdnUrl());
    }
}
