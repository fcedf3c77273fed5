package dev.falclient.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How the next webhook deliveries misbehave, as fal's may: sent more than once, sent late, signed with a timestamp
 * in the past, or carrying a signature no key verifies. Arm with {@link WebhookSender#fault()}; each delivery
 * of a completed request consumes one use.
 *
 * <p>Usage: {@code emu.webhookSender().fault().copies(3).delay(Duration.ofMillis(200));}
 */
public final class WebhookFault {

    private int times = 1;
    private int copies = 1;
    private Duration delay = Duration.ZERO;
    private Duration timestampOffset = Duration.ZERO;
    private boolean badSignature;

    WebhookFault() {
    }

    /** How many deliveries this fault applies to (default 1). */
    public synchronized WebhookFault times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        this.times = times;
        return this;
    }

    /** Sends each delivery this many times (duplicates; default 1). */
    public synchronized WebhookFault copies(int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be >= 1");
        }
        this.copies = copies;
        return this;
    }

    /** Sends the delivery this long after the request completed (a late delivery; default none). */
    public synchronized WebhookFault delay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        this.delay = delay;
        return this;
    }

    /** Signs with a timestamp this far from now, e.g. {@code Duration.ofMinutes(-10)} (a stale delivery). */
    public synchronized WebhookFault timestampOffset(Duration offset) {
        this.timestampOffset = Objects.requireNonNull(offset, "offset");
        return this;
    }

    /** Sends a signature that no key verifies. */
    public synchronized WebhookFault badSignature() {
        this.badSignature = true;
        return this;
    }

    /** What one delivery does. */
    record Plan(int copies, Duration delay, Duration timestampOffset, boolean badSignature) {
        static final Plan NORMAL = new Plan(1, Duration.ZERO, Duration.ZERO, false);
    }

    /** One use of this fault, or {@code null} when it is used up. */
    synchronized Plan tryConsume() {
        if (times == 0) {
            return null;
        }
        times--;
        return new Plan(copies, delay, timestampOffset, badSignature);
    }
}
