package dev.falclient.spring.autoconfigure;

import dev.falclient.FalCredentials;
import dev.falclient.settings.UrlSettings;

/**
 * {@link FalConnectionDetails#of}: fixed URLs and a credential source. Not a record: {@code toString()} names the
 * URLs, never the credentials. {@link PropertiesFalConnectionDetails} is the same, with both taken from properties.
 */
sealed class FixedFalConnectionDetails implements FalConnectionDetails permits PropertiesFalConnectionDetails {

    private final FalCredentials credentials;
    private final UrlSettings urls;

    FixedFalConnectionDetails(FalCredentials credentials, UrlSettings urls) {
        this.credentials = credentials;
        this.urls = urls;
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
        return "FalConnectionDetails[queue=" + urls.queueUrl() + ", run=" + urls.runUrl() + ", rest="
                + urls.restUrl() + ", cdn=" + urls.cdnUrl() + "]";
    }
}
