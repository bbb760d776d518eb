package io.llmgateway.auth;

import java.time.Instant;

/** A store that forgets on restart: demo mode and tests. */
public final class InMemoryTokenStore implements TokenStore {
    private StoredTokens tokens;

    public InMemoryTokenStore() {
        this(StoredTokens.EMPTY);
    }

    public InMemoryTokenStore(StoredTokens initial) {
        this.tokens = initial;
    }

    @Override
    public synchronized StoredTokens load() {
        return tokens;
    }

    @Override
    public synchronized void save(String refreshToken, String accessToken, Instant expiresAt) {
        tokens = new StoredTokens(refreshToken, accessToken, expiresAt, tokens.lastForcedRefresh());
    }

    @Override
    public synchronized void recordForcedRefresh(Instant at) {
        tokens = new StoredTokens(tokens.refreshToken(), tokens.accessToken(), tokens.accessTokenExpiresAt(), at);
    }

    @Override
    public String describe() {
        return "memory (not persisted)";
    }

    @Override
    public String toString() {
        return "InMemoryTokenStore";
    }
}
