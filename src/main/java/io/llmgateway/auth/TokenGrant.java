package io.llmgateway.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * A successful token response.
 *
 * @param accessToken  the new access token
 * @param expiresIn    its lifetime as announced by the server ({@code expires_in}); the caller picks a default
 *                     when the server omits it
 * @param refreshToken the rotated refresh token, or null when the server did not rotate it
 */
public record TokenGrant(String accessToken, Duration expiresIn, String refreshToken) {
    public TokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (expiresIn.isNegative()) {
            throw new IllegalArgumentException("expiresIn must not be negative: " + expiresIn);
        }
    }

    @Override
    public String toString() {
        return "TokenGrant[accessToken=****, expiresIn=" + expiresIn
                + ", refreshToken=" + Redact.presence(refreshToken) + "]";
    }
}
