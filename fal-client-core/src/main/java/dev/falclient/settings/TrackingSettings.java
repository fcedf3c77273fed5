package dev.falclient.settings;

/**
 * Background tracking (the client watches a submitted request until it completes and reports every transition to
 * its listeners) and the listener's memory of recent requests.
 *
 * <pre>{@code FalClient.builder().tracking(TrackingSettings.DEFAULTS.withTrackSubmitted(true)).build();}</pre>
 *
 * @param trackSubmitted        whether every submit is tracked unless its options say otherwise
 * @param trackWithLogs         whether tracking asks fal for log lines
 * @param maxTrackedRequests    most requests tracked at once; a tracked submit beyond it fails before submitting
 * @param maxObservedRequests   how many recent requests the client remembers to report each transition once
 */
public record TrackingSettings(boolean trackSubmitted, boolean trackWithLogs, int maxTrackedRequests,
                               int maxObservedRequests) {

    public static final String DEFAULT_TRACK_SUBMITTED = "false";
    public static final String DEFAULT_TRACK_WITH_LOGS = "true";
    public static final String DEFAULT_MAX_TRACKED_REQUESTS = "1000";
    public static final String DEFAULT_MAX_OBSERVED_REQUESTS = "10000";

    /** fal's defaults. */
    public static final TrackingSettings DEFAULTS = new TrackingSettings(Boolean.parseBoolean(DEFAULT_TRACK_SUBMITTED),
            Boolean.parseBoolean(DEFAULT_TRACK_WITH_LOGS), Integer.parseInt(DEFAULT_MAX_TRACKED_REQUESTS),
            Integer.parseInt(DEFAULT_MAX_OBSERVED_REQUESTS));

    /** Validates every value. */
    public TrackingSettings {
        Check.positive("maxTrackedRequests", maxTrackedRequests);
        Check.positive("maxObservedRequests", maxObservedRequests);
    }

    public TrackingSettings withTrackSubmitted(boolean trackSubmitted) {
        return new TrackingSettings(trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests);
    }

    public TrackingSettings withTrackWithLogs(boolean trackWithLogs) {
        return new TrackingSettings(trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests);
    }

    public TrackingSettings withMaxTrackedRequests(int maxTrackedRequests) {
        return new TrackingSettings(trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests);
    }

    public TrackingSettings withMaxObservedRequests(int maxObservedRequests) {
        return new TrackingSettings(trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests);
    }
}
