package io.llmgateway.auth;

import java.time.Instant;

/**
 * What a {@link TokenStore} holds; every field may be null.
 *
 * @param accessTokenExpiresAt when the access token expires (the server's expiry, no margin applied)
 * @param lastForcedRefresh    when the keep-alive last forced a refresh
 */
public record StoredTokens(String refreshToken, String accessToken, Instant accessTokenExpiresAt,
                           Instant lastForcedRefresh) {
    static final StoredTokens EMPTY = new StoredTokens(null, null, null, null);

    @Override
    public String toString() {
        return "StoredTokens[refreshToken=" + Redact.presence(refreshToken)
                + ", accessToken=" + Redact.presence(accessToken)
                + ", accessTokenExpiresAt=" + accessTokenExpiresAt
                + ", lastForcedRefresh=" + lastForcedRefresh + "]";
    }
}
