package dev.falclient.internal.storage;

import dev.falclient.MissingCredentialsException;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import dev.falclient.settings.StorageSettings;
import dev.falclient.storage.FalUploadException;
import java.time.Clock;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Uploads one file: the CDN v3 flow first, fal's REST-initiated signed upload when it fails (as fal's Python client
 * falls back, with a warning), the whole bounded by the upload timeout. A final failure is a
 * {@link FalUploadException} naming the file and, when a part failed, the part.
 */
final class Uploader {

    private static final Logger log = LoggerFactory.getLogger(Uploader.class);

    private final FalTransport transport;
    private final StorageSettings settings;
    private final CdnUpload cdn;
    private final SignedUpload signed;

    Uploader(FalTransport transport, FalJson json, StorageSettings settings, String restUrl, String cdnUrl,
             Clock clock) {
        this.transport = transport;
        this.settings = settings;
        this.cdn = new CdnUpload(transport, json, new CdnTokens(transport, restUrl, clock), settings, cdnUrl);
        this.signed = new SignedUpload(transport, json, settings, restUrl);
    }

    Mono<String> upload(UploadRequest request) {
        return cdn.upload(request)
                .onErrorResume(e -> !isFinal(e), cdnFailure -> {
                    log.warn("Upload of {} to fal's CDN failed ({}); trying fal's signed upload instead",
                            request.describe(), Excerpt.of(String.valueOf(cdnFailure.getMessage())));
                    return signed.upload(request).onErrorMap(fallbackFailure -> {
                        cdnFailure.addSuppressed(fallbackFailure);
                        return failure(request, cdnFailure, fallbackFailure);
                    });
                })
                .timeout(settings.uploadTimeout())
                .onErrorMap(e -> !(e instanceof FalUploadException) && !isFinal(e), e -> e instanceof TimeoutException
                        ? new FalUploadException("Upload of " + request.describe() + " to fal's storage did not "
                                + "complete within " + settings.uploadTimeout() + " (StorageSettings uploadTimeout)",
                                request.fileName(), null, e)
                        : failure(request, e, null));
    }

    /** A failure no other flow can mend: no key, or a closed client. It reaches the caller as it is. */
    private boolean isFinal(Throwable e) {
        return e instanceof MissingCredentialsException || transport.isClosed();
    }

    private static FalUploadException failure(UploadRequest request, Throwable cdnFailure, Throwable fallback) {
        Integer part = null;
        String where = "";
        Throwable cause = cdnFailure;
        if (cdnFailure instanceof PartFailure p) {
            part = p.part();
            where = " at part " + p.part() + " of " + p.parts();
            cause = p.getCause();
        }
        String message = "Upload of " + request.describe() + " to fal's storage failed" + where + ": "
                + cause.getMessage()
                + (fallback == null ? "" : "; the fallback (fal's signed upload) failed too: " + fallback.getMessage());
        return new FalUploadException(Excerpt.message(message), request.fileName(), part, cdnFailure);
    }
}
