package dev.falclient.emulator;

/** A received call as {@link Routes} classified it, before anything about it is checked. */
sealed interface Call permits Call.Api, Call.File, Call.Jwks, Call.Storage, Call.Token, Call.Realtime,
        Call.Unrouted {

    CallKind kind();

    /** The endpoint the call names, or {@code null}. */
    default EndpointId endpoint() {
        return null;
    }

    /** Whether fal's gateway asks for the fal key (storage hosts take a CDN token, or nothing). */
    default boolean needsKey() {
        return true;
    }

    /** The request id the call refers to (assigned here for submit, run and stream), or {@code null}. */
    default String requestId() {
        return null;
    }

    /** A queue or run call of an endpoint: every kind but {@code FILE} and {@code OTHER}. */
    record Api(CallKind kind, EndpointId endpoint, String requestId) implements Call {
    }

    /** A download of a generated or uploaded file: public, no auth. */
    record File(String name) implements Call {
        @Override
        public CallKind kind() {
            return CallKind.FILE;
        }

        @Override
        public boolean needsKey() {
            return false;
        }
    }

    /**
     * A storage call: {@code file} is the stored file's name below {@code files/} (multipart and signed calls),
     * {@code uploadId} and {@code part} those of a multipart call.
     */
    record Storage(CallKind kind, String file, String uploadId, Integer part) implements Call {
        @Override
        public boolean needsKey() {
            return kind == CallKind.STORAGE_TOKEN || kind == CallKind.UPLOAD_INITIATE;
        }
    }

    /** fal's JWKS, with the key that signs webhook deliveries: public, no auth. */
    record Jwks() implements Call {
        @Override
        public CallKind kind() {
            return CallKind.OTHER;
        }

        @Override
        public boolean needsKey() {
            return false;
        }
    }

    /** A realtime token: needs the key. */
    record Token() implements Call {
        @Override
        public CallKind kind() {
            return CallKind.REALTIME_TOKEN;
        }
    }

    /**
     * A realtime connect of {@code endpoint} (the id without {@code /realtime}). It takes a token or the key, so
     * {@link RealtimeHandlers} checks the credentials itself.
     */
    record Realtime(EndpointId endpoint) implements Call {
        @Override
        public CallKind kind() {
            return CallKind.REALTIME;
        }

        @Override
        public boolean needsKey() {
            return false;
        }
    }

    /** Anything else: answered with {@code status} and {@code {"detail": detail}} once authorised. */
    record Unrouted(int status, String detail) implements Call {
        @Override
        public CallKind kind() {
            return CallKind.OTHER;
        }
    }
}
