package dev.falclient.spring.autoconfigure;

import dev.falclient.FalCredentials;
import dev.falclient.settings.UrlSettings;
import org.springframework.core.env.Environment;

/**
 * The default {@link FalConnectionDetails}: the URLs of {@code fal.*-url} and the credential chain of
 * {@link FalCredentialSources} ({@code fal.key}, then {@code fal.key-id} + {@code fal.key-secret}, then the
 * process environment).
 */
final class PropertiesFalConnectionDetails implements FalConnectionDetails {

    private final UrlSettings urls;
    private final FalCredentials credentials;

    PropertiesFalConnectionDetails(FalProperties properties, Environment environment) {
        this.urls = properties.urls();
        this.credentials = FalCredentialSources.chain(properties, environment);
    }

    @Override
    public FalCredentials getCredentials() {
        return credentials;
    }

    @Override
    public String getQueueUrl() {
        return urls.queueUrl();
    }

    @Override
    public String getRunUrl() {
        return urls.runUrl();
    }

    @Override
    public String getRestUrl() {
        return urls.restUrl();
    }

    @Override
    public String getCdnUrl() {
        return urls.cdnUrl();
    }

    @Override
    public UrlSettings getUrls() {
        return urls;
    }

    @Override
    public String toString() {
        // the credential chain's toString names sources only, never a key
        return "PropertiesFalConnectionDetails[" + urls + ", " + credentials + "]";
    }
}
