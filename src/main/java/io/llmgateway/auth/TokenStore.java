package io.llmgateway.auth;

import java.time.Instant;

/** Where tokens outlive the process. Implementations are thread-safe; failures are unchecked. */
public interface TokenStore {
    /** The current contents, read afresh: another process may have rotated the refresh token. */
    StoredTokens load();

    /** Persists a refresh result; {@code expiresAt} is the server's expiry of the access token. */
    void save(String refreshToken, String accessToken, Instant expiresAt);

    void recordForcedRefresh(Instant at);

    /** Human description for messages and health, e.g. the absolute file path. */
    String describe();

    /** Where an operator sets {@code OAUTH_REFRESH_TOKEN} so that it reaches this store; ends a sentence. */
    default String refreshTokenLocation() {
        return "the configuration";
    }
}
