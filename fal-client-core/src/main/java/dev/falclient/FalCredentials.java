package dev.falclient;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where the fal key comes from. Resolved on every request, so a rotated key is picked up without a restart.
 * The default chain is: an explicit key, then the {@code FAL_KEY} environment variable, then {@code FAL_KEY_ID}
 * and {@code FAL_KEY_SECRET} joined as {@code id:secret}.
 *
 * <pre>{@code
 * FalClient.builder().credentials(FalCredentials.supplier(vault::falKey)).build();
 * }</pre>
 */
@FunctionalInterface
public interface FalCredentials {

    /** The key to send, or empty when none is configured. */
    Optional<Credential> resolve();

    /**
     * Why {@link #resolve()} finds no key, when this source can tell: for example that a configured value is an
     * unresolved {@code ${...}} placeholder. A call made without a key throws a {@link MissingCredentialsException}
     * whose message starts with this reason. Consulted only when {@link #resolve()} is empty; empty by default.
     */
    default Optional<String> missingReason() {
        return Optional.empty();
    }

    /**
     * Whether {@link #resolve()} may block, e.g. to ask a secret manager. The client then never calls it on a
     * Netty event-loop or timer thread (it moves the call to Reactor's bounded elastic scheduler); a source that
     * answers at once says {@code false} and is read where the call runs. {@code true} by default.
     */
    default boolean mayBlock() {
        return true;
    }

    /** A fixed key (blank means none). */
    static FalCredentials key(@Nullable String key) {
        Optional<Credential> credential = hasText(key) ? Optional.of(new Credential(key.trim(), "key"))
                : Optional.empty();
        return immediate(() -> credential);
    }

    /** A key read from the supplier on every request (blank or {@code null} means none). */
    static FalCredentials supplier(Supplier<@Nullable String> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return () -> {
            String key = supplier.get();
            return hasText(key) ? Optional.of(new Credential(key.trim(), "supplier")) : Optional.empty();
        };
    }

    /** {@code FAL_KEY}, else {@code FAL_KEY_ID} + {@code FAL_KEY_SECRET}, read from the process environment. */
    static FalCredentials environment() {
        return environment(System::getenv);
    }

    /** The environment chain, read through the given lookup (for tests or other sources); the lookup must not block. */
    static FalCredentials environment(Function<String, @Nullable String> env) {
        Objects.requireNonNull(env, "env");
        return immediate(() -> {
            String key = env.apply("FAL_KEY");
            if (hasText(key)) {
                return Optional.of(new Credential(key.trim(), "FAL_KEY"));
            }
            String id = env.apply("FAL_KEY_ID");
            String secret = env.apply("FAL_KEY_SECRET");
            if (hasText(id) && hasText(secret)) {
                return Optional.of(new Credential(id.trim() + ":" + secret.trim(), "FAL_KEY_ID"));
            }
            return Optional.empty();
        });
    }

    /** A source that answers at once. */
    private static FalCredentials immediate(Supplier<Optional<Credential>> resolve) {
        return new FalCredentials() {
            @Override
            public Optional<Credential> resolve() {
                return resolve.get();
            }

            @Override
            public boolean mayBlock() {
                return false;
            }
        };
    }

    /** This source, and the other one when this has no key. Without a key, this source's reason comes first. */
    default FalCredentials orElse(FalCredentials other) {
        Objects.requireNonNull(other, "other");
        FalCredentials self = this;
        return new FalCredentials() {
            @Override
            public Optional<Credential> resolve() {
                Optional<Credential> mine = self.resolve();
                return mine.isPresent() ? mine : other.resolve();
            }

            @Override
            public Optional<String> missingReason() {
                return self.missingReason().or(other::missingReason);
            }

            @Override
            public boolean mayBlock() {
                return self.mayBlock() || other.mayBlock();
            }
        };
    }

    private static boolean hasText(@Nullable String s) {
        return s != null && !s.isBlank();
    }

    /**
     * A resolved key and the name of its source ({@code key}, {@code supplier}, {@code FAL_KEY}, {@code FAL_KEY_ID},
     * or a name chosen by an integration). {@link #toString()} never shows the secret.
     *
     * @param key    the secret as sent in {@code Authorization: Key …}
     * @param source where it came from
     */
    record Credential(String key, String source) {

        public Credential {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(source, "source");
        }

        /**
         * A display form safe for logs and health output: the key id part (before {@code :}) shortened to its
         * first 4 characters, the secret never shown, e.g. {@code 1a2b…}.
         */
        public String masked() {
            String id = key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
            return (id.length() <= 8 ? "" : id.substring(0, 4)) + "…";
        }

        @Override
        public String toString() {
            return "Credential[source=" + source + ", key=" + masked() + "]";
        }
    }
}
