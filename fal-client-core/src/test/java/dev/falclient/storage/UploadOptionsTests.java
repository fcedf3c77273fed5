package dev.falclient.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.settings.InvalidSettingException;
import dev.falclient.settings.StorageSettings;
import org.junit.jupiter.api.Test;

/** fal's lifetime aliases and the checks of upload options and storage settings. */
class UploadOptionsTests {

    @Test
    void aliasesAreFalsSeconds() {
        assertThat(StorageSettings.expirationSeconds("never")).isEmpty();
        assertThat(StorageSettings.expirationSeconds("immediate")).hasValue(60);
        assertThat(StorageSettings.expirationSeconds("1h")).hasValue(3_600);
        assertThat(StorageSettings.expirationSeconds("1D")).hasValue(86_400);
        assertThat(StorageSettings.expirationSeconds("7d")).hasValue(604_800);
        assertThat(StorageSettings.expirationSeconds("30d")).hasValue(2_592_000);
        assertThat(StorageSettings.expirationSeconds("1y")).hasValue(31_536_000);
        assertThat(StorageSettings.expirationSeconds("90")).hasValue(90);
    }

    @Test
    void otherLifetimesAreRefused() {
        for (String bad : new String[] {"0", "-5", "2w", " ", "true"}) {
            assertThatThrownBy(() -> UploadOptions.DEFAULTS.withExpiresIn(bad))
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("expiresIn");
        }
        assertThatThrownBy(() -> StorageSettings.DEFAULTS.withDefaultExpiresIn("soon"))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("defaultExpiresIn"));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> StorageSettings.DEFAULTS.withPartSize(0)).hasMessageContaining("partSize");
        assertThatThrownBy(() -> StorageSettings.DEFAULTS.withParallelism(0)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> StorageSettings.DEFAULTS.withMultipartThreshold(-1))
                .hasMessageContaining("multipartThreshold");
        assertThat(StorageSettings.DEFAULTS.multipartThreshold()).isEqualTo(100L * 1024 * 1024);
        assertThat(StorageSettings.DEFAULTS.partSize()).isEqualTo(10 * 1024 * 1024);
        assertThat(StorageSettings.DEFAULTS.autoUpload()).isTrue();
    }

    @Test
    void optionsKeepWhatWasSet() {
        UploadOptions options = UploadOptions.DEFAULTS.withExpiresIn("7d")
                .withInitialAcl(InitialAcl.of(AclDecision.FORBID).withRule("u1", AclDecision.ALLOW));
        assertThat(options.expiresIn()).hasValue("7d");
        assertThat(options.initialAcl()).hasValueSatisfying(acl -> {
            assertThat(acl.defaultDecision()).isEqualTo(AclDecision.FORBID);
            assertThat(acl.rules()).containsEntry("u1", AclDecision.ALLOW);
        });
        assertThat(UploadOptions.DEFAULTS.expiresIn()).isEmpty();
    }
}
