package dev.falclient;

/**
 * No fal key could be found when a call needed one.
 *
 * <pre>{@code FalClient.builder().key(System.getenv("MY_FAL_KEY")).build();}</pre>
 */
public class MissingCredentialsException extends FalException {

    MissingCredentialsException() {
        super("No fal credentials found. Set one of: the client builder's key(...) or credentials(...) "
                + "(Spring: the fal.key property), the FAL_KEY environment variable, or both FAL_KEY_ID and "
                + "FAL_KEY_SECRET environment variables.");
    }
}
