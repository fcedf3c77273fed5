package dev.falclient.settings;

/**
 * A client setting has a value it cannot work with. {@link #setting()} names it as the builder does
 * ({@code maxAttempts}); integrations translate that name into their own (the Spring starter reports
 * {@code fal.retry.max-attempts}).
 *
 * <pre>{@code catch (InvalidSettingException e) { log.error("{}: {}", e.setting(), e.problem()); }}</pre>
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String setting;
    private final String problem;

    InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    /** The setting's name as the client builder spells it, e.g. {@code maxAttempts}. */
    public String setting() {
        return setting;
    }

    /** What is wrong with the value, e.g. {@code must be positive, was PT0S}. */
    public String problem() {
        return problem;
    }
}
