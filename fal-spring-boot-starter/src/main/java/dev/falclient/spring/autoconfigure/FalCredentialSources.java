package dev.falclient.spring.autoconfigure;

import dev.falclient.FalCredentials;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Builds the starter's credential chain: {@code fal.key}, then {@code fal.key-id} + {@code fal.key-secret}, then
 * the core's environment lookup. A key that reached the properties through the {@code FAL_KEY} (or
 * {@code FAL_KEY_ID}) environment variable reports that variable as its source. A value that is still an
 * unresolved {@code ${...}} placeholder counts as not set; when no key resolves, the chain's
 * {@link FalCredentials#missingReason() missing reason} names the placeholder (and a WARN at startup does too).
 * Public so that other auto-configurations (the fal proxy) send the same key as the client.
 *
 * <pre>{@code FalCredentials key = FalCredentialSources.chain(properties, environment);}</pre>
 */
final class FalCredentialSources {

    private static final Logger log = LoggerFactory.getLogger(FalCredentialSources.class);

    private FalCredentialSources() {
    }

    static FalCredentials chain(FalProperties properties, Environment environment) {
        return chain(properties, environment, FalCredentials.environment());
    }

    static FalCredentials chain(FalProperties properties, Environment environment, FalCredentials processEnvironment) {
        FalCredentials key = fixed(properties.key(), source(environment, "fal.key"));
        FalCredentials idAndSecret = fixed(properties.joinedKey(), source(environment, "fal.key-id"));
        FalCredentials chain = key.orElse(idAndSecret).orElse(processEnvironment);
        Optional<String> unresolved = properties.unresolvedKeyReason();
        if (unresolved.isEmpty()) {
            return chain;
        }
        log.warn("Ignoring the fal key setting: {}", unresolved.get());
        return new FalCredentials() {
            @Override
            public Optional<FalCredentials.Credential> resolve() {
                return chain.resolve();
            }

            @Override
            public Optional<String> missingReason() {
                return unresolved;
            }

            @Override
            public boolean mayBlock() {
                return chain.mayBlock();
            }

            @Override
            public String toString() {
                return "FalCredentials[fal.key or fal.key-id (unresolved placeholder), then the environment]";
            }
        };
    }

    private static FalCredentials fixed(String key, String source) {
        Optional<FalCredentials.Credential> credential = key == null || key.isBlank() || FalPropertyChecks.unresolved(key)
                ? Optional.empty() : Optional.of(new FalCredentials.Credential(key.trim(), source));
        return new FalCredentials() {
            @Override
            public Optional<FalCredentials.Credential> resolve() {
                return credential;
            }

            @Override
            public boolean mayBlock() {
                return false;
            }

            @Override
            public String toString() {
                return "FalCredentials[" + source + "]";
            }
        };
    }

    /**
     * The name of the environment variable the property was bound from (e.g. {@code FAL_KEY}), else the property
     * name itself. Walks the property sources in binding order.
     */
    static String source(Environment environment, String property) {
        if (environment == null) {
            return property;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty value = source.getConfigurationProperty(name);
            if (value == null) {
                continue;
            }
            Origin origin = value.getOrigin();
            if (origin instanceof SystemEnvironmentOrigin env) {
                return env.getProperty();
            }
            if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
            }
            return property;
        }
        return property;
    }
}
