package dev.falclient.spring.autoconfigure;

import org.springframework.core.env.Environment;

/**
 * The default {@link FalConnectionDetails}: the URLs of {@code fal.*-url} and the credential chain of
 * {@link FalCredentialSources} ({@code fal.key}, then {@code fal.key-id} + {@code fal.key-secret}, then the
 * process environment).
 */
final class PropertiesFalConnectionDetails extends FixedFalConnectionDetails {

    PropertiesFalConnectionDetails(FalProperties properties, Environment environment) {
        super(FalCredentialSources.chain(properties, environment), properties.urls());
    }

    @Override
    public String toString() {
        // the credential chain's toString names sources only, never a key
        return "PropertiesFalConnectionDetails[" + getUrls() + ", " + getCredentials() + "]";
    }
}
