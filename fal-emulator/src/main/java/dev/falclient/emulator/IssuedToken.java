package dev.falclient.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A realtime token the {@link FalEmulator} issued on {@code POST {rest}/tokens/} (fal-protocol.md section 2.3). The
 * token itself is a secret: {@link #toString()} leaves it out.
 *
 * <p>Usage: {@code assertThat(emu.issuedTokens().get(0).allowedApps()).containsExactly("fast-lcm-diffusion");}
 *
 * @param token       the token, as the caller received it (a JWT-shaped, URL-safe string)
 * @param allowedApps the app aliases the token opens realtime sessions of
 * @param issuedAt    when it was issued
 * @param expiresAt   when it stops being accepted ({@code issuedAt} plus {@code token_expiration} seconds)
 */
public record IssuedToken(String token, List<String> allowedApps, Instant issuedAt, Instant expiresAt) {

    /** Copies {@code allowedApps}. */
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        allowedApps = List.copyOf(allowedApps);
    }

    /** Whether the token is still accepted at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "IssuedToken[token=<redacted>, allowedApps=" + allowedApps + ", issuedAt=" + issuedAt + ", expiresAt="
                + expiresAt + "]";
    }
}
