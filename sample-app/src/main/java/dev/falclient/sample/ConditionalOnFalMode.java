package dev.falclient.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the effective fal mode of the sample ({@link FalModeResolution#resolve}) is {@link #value()}.
 *
 * <pre>{@code @Configuration @ConditionalOnFalMode(FalMode.EMULATOR) class EmulatorConfiguration { ... } }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnFalModeCondition.class)
public @interface ConditionalOnFalMode {

    /** {@link FalMode#EMULATOR} or {@link FalMode#LIVE}. */
    FalMode value();
}
