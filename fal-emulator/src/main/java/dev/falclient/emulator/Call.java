package dev.falclient.emulator;

/** A received call as {@link Routes} classified it, before anything about it is checked. */
sealed interface Call permits Call.Api, Call.File, Call.Jwks, Call.Unrouted {

    CallKind kind();

    /** The endpoint the call names, or {@code null}. */
    default EndpointId endpoint() {
        return null;
    }

    /** The request id the call refers to (assigned here for submit, run and stream), or {@code null}. */
    default String requestId() {
        return null;
    }

    /** A queue or run call of an endpoint: every kind but {@code FILE} and {@code OTHER}. */
    record Api(CallKind kind, EndpointId endpoint, String requestId) implements Call {
    }

    /** A download of a generated file: public, no auth. */
    record File(String name) implements Call {
        @Override
        public CallKind kind() {
            return CallKind.FILE;
        }
    }

    /** fal's JWKS, with the key that signs webhook deliveries: public, no auth. */
    record Jwks() implements Call {
        @Override
        public CallKind kind() {
            return CallKind.OTHER;
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
