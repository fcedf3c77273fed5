package dev.falclient;

/**
 * No fal key could be found when a call needed one. The message says why when the credential source can tell
 * ({@link FalCredentials#missingReason()}), e.g. that {@code fal.key} is an unresolved {@code ${FAL_KEY}}.
 *
 * <pre>{@code FalClient.builder().key(System.getenv("MY_FAL_KEY")).build();}</pre>
 */
public class MissingCredentialsException extends FalException {

    private static final String HOW = "Set one of: the client builder's key(...) or credentials(...) "
            + "(Spring: the fal.key property), the FAL_KEY environment variable, or both FAL_KEY_ID and "
            + "FAL_KEY_SECRET environment variables.";

    MissingCredentialsException() {
        super("No fal credentials found. " + HOW);
    }

    /** {@code reason}: why the credential source found no key ({@link FalCredentials#missingReason()}). */
    MissingCredentialsException(String reason) {
        super("No fal credentials found: " + reason + ". " + HOW);
    }
}
