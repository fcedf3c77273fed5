package dev.falclient.settings;

/**
 * fal's base URLs. Each may carry a path prefix (e.g. behind a gateway), which every URL the client builds keeps;
 * trailing slashes are dropped.
 *
 * <pre>{@code FalClient.builder().queueUrl("https://gateway.example/fal/queue").build();}</pre>
 *
 * @param queueUrl base URL of fal's queue API
 * @param runUrl   base URL of fal's direct run API
 * @param restUrl  base URL of fal's REST API (tokens, storage)
 * @param cdnUrl   base URL of fal's CDN
 */
public record UrlSettings(String queueUrl, String runUrl, String restUrl, String cdnUrl) {

    public static final String DEFAULT_QUEUE_URL = "https://queue.fal.run";
    public static final String DEFAULT_RUN_URL = "https://fal.run";
    public static final String DEFAULT_REST_URL = "https://rest.fal.ai";
    public static final String DEFAULT_CDN_URL = "https://v3.fal.media";

    /** fal's hosts. */
    public static final UrlSettings DEFAULTS = new UrlSettings(DEFAULT_QUEUE_URL, DEFAULT_RUN_URL, DEFAULT_REST_URL,
            DEFAULT_CDN_URL);

    /** Validates and normalises every URL. */
    public UrlSettings {
        queueUrl = Check.baseUrl("queueUrl", queueUrl);
        runUrl = Check.baseUrl("runUrl", runUrl);
        restUrl = Check.baseUrl("restUrl", restUrl);
        cdnUrl = Check.baseUrl("cdnUrl", cdnUrl);
    }

    public UrlSettings withQueueUrl(String queueUrl) {
        return new UrlSettings(queueUrl, runUrl, restUrl, cdnUrl);
    }

    public UrlSettings withRunUrl(String runUrl) {
        return new UrlSettings(queueUrl, runUrl, restUrl, cdnUrl);
    }

    public UrlSettings withRestUrl(String restUrl) {
        return new UrlSettings(queueUrl, runUrl, restUrl, cdnUrl);
    }

    public UrlSettings withCdnUrl(String cdnUrl) {
        return new UrlSettings(queueUrl, runUrl, restUrl, cdnUrl);
    }
}
