package dev.falclient.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Uploads to fal's storage: automatic upload of file arguments, multipart uploads and the default lifetime of
 * uploaded files.
 *
 * <pre>{@code FalClient.builder().storage(StorageSettings.DEFAULTS.withDefaultExpiresIn("1d")).build();}</pre>
 *
 * @param autoUpload         whether {@code Path}, {@code File} and Spring {@code Resource} values in the arguments of
 *                           submit, run and subscribe are uploaded and replaced by their URLs (else they are refused)
 * @param multipartThreshold size in bytes above which a file is uploaded in parts
 * @param partSize           size in bytes of each part of a multipart upload (the last one may be smaller)
 * @param parallelism        most parts of one file, and most files of one call's arguments, uploaded at once
 * @param defaultExpiresIn   lifetime of uploaded files unless an upload sets one: {@code never} (no expiration is
 *                           sent: the account's storage settings apply), {@code immediate}, {@code 1h}, {@code 1d},
 *                           {@code 7d}, {@code 30d}, {@code 1y}, or a number of seconds
 * @param partTimeout        deadline of one part (or of a file uploaded in one piece) across its attempts
 * @param uploadTimeout      deadline of one whole upload, fallback included
 */
public record StorageSettings(boolean autoUpload, long multipartThreshold, int partSize, int parallelism,
                              String defaultExpiresIn, Duration partTimeout, Duration uploadTimeout) {

    public static final String DEFAULT_AUTO_UPLOAD = "true";
    public static final String DEFAULT_MULTIPART_THRESHOLD = "100MB";
    public static final String DEFAULT_PART_SIZE = "10MB";
    public static final String DEFAULT_PARALLELISM = "10";
    public static final String DEFAULT_EXPIRES_IN = "never";
    public static final String DEFAULT_PART_TIMEOUT = "10m";
    public static final String DEFAULT_UPLOAD_TIMEOUT = "2h";

    /** fal's aliases of file lifetimes, in seconds; {@code immediate} is 60 because fal reads 0 as "never expire". */
    private static final Map<String, Long> ALIASES = Map.of("immediate", 60L, "1h", 3_600L, "1d", 86_400L,
            "7d", 604_800L, "30d", 2_592_000L, "1y", 31_536_000L);

    /** fal's defaults (those of fal's Python client). */
    public static final StorageSettings DEFAULTS = new StorageSettings(Boolean.parseBoolean(DEFAULT_AUTO_UPLOAD),
            DefaultText.bytes(DEFAULT_MULTIPART_THRESHOLD), DefaultText.bytes(DEFAULT_PART_SIZE),
            Integer.parseInt(DEFAULT_PARALLELISM), DEFAULT_EXPIRES_IN, DefaultText.duration(DEFAULT_PART_TIMEOUT),
            DefaultText.duration(DEFAULT_UPLOAD_TIMEOUT));

    /** Validates every value. */
    public StorageSettings {
        Check.positive("multipartThreshold", multipartThreshold);
        Check.positive("partSize", partSize);
        Check.positive("parallelism", parallelism);
        expiration("defaultExpiresIn", defaultExpiresIn);
        defaultExpiresIn = defaultExpiresIn.trim().toLowerCase(Locale.ROOT);
        Check.positive("partTimeout", partTimeout);
        Check.positive("uploadTimeout", uploadTimeout);
    }

    /**
     * The lifetime in seconds that an {@code expiresIn} text stands for; empty for {@code never}.
     *
     * <pre>{@code StorageSettings.expirationSeconds("1d") // 86400}</pre>
     *
     * @throws InvalidSettingException when the text is no alias and no positive number of seconds
     */
    public static OptionalLong expirationSeconds(String expiresIn) {
        return expiration("expiresIn", expiresIn);
    }

    private static OptionalLong expiration(String setting, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSettingException(setting, "must not be blank: use never, immediate, 1h, 1d, 7d, 30d, "
                    + "1y or a number of seconds");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("never")) {
            return OptionalLong.empty();
        }
        Long alias = ALIASES.get(value);
        if (alias != null) {
            return OptionalLong.of(alias);
        }
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting, "must be never, immediate, 1h, 1d, 7d, 30d, 1y or a number of "
                    + "seconds, was '" + text + "'");
        }
        Check.positive(setting, seconds);
        return OptionalLong.of(seconds);
    }

    public StorageSettings withAutoUpload(boolean autoUpload) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }

    public StorageSettings withMultipartThreshold(long multipartThreshold) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }

    public StorageSettings withPartSize(int partSize) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }

    public StorageSettings withParallelism(int parallelism) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }

    public StorageSettings withDefaultExpiresIn(String defaultExpiresIn) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }

    public StorageSettings withPartTimeout(Duration partTimeout) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }

    public StorageSettings withUploadTimeout(Duration uploadTimeout) {
        return new StorageSettings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn,
                partTimeout, uploadTimeout);
    }
}
