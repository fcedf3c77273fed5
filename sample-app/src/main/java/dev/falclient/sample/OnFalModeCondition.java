package dev.falclient.sample;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnFalMode}; shows up in Boot's condition evaluation report. */
class OnFalModeCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnFalMode.class.getName());
        FalMode wanted = (FalMode) attributes.get("value");
        FalModeResolution resolution = FalModeResolution.resolve(context.getEnvironment());
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnFalMode.class, wanted);
        String because = "fal mode is " + resolution.effective() + " because " + resolution.reason();
        return resolution.effective() == wanted
                ? ConditionOutcome.match(message.because(because))
                : ConditionOutcome.noMatch(message.because(because));
    }
}
