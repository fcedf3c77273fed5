package dev.falclient.test;

import dev.falclient.FalCredentials;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;

/**
 * The emulator's URLs and the {@link AutoConfigureFalEmulator#key() key} of the test, as the starter's
 * {@link FalConnectionDetails}. Not a record: its {@code toString()} must not show the key.
 */
final class FalEmulatorConnectionDetails implements FalConnectionDetails {

    private final FalEmulator emulator;
    private final FalCredentials credentials;

    FalEmulatorConnectionDetails(FalEmulator emulator, String key) {
        this.emulator = emulator;
        this.credentials = FalCredentials.key(key);
    }

    @Override
    public FalCredentials getCredentials() {
        return credentials;
    }

    @Override
    public String getQueueUrl() {
        return emulator.queueUrl();
    }

    @Override
    public String getRunUrl() {
        return emulator.runUrl();
    }

    @Override
    public String getRestUrl() {
        return emulator.restUrl();
    }

    @Override
    public String getCdnUrl() {
        return emulator.cdnUrl();
    }

    @Override
    public String toString() {
        return "FalEmulatorConnectionDetails[" + emulator.baseUrl() + "]";
    }
}
