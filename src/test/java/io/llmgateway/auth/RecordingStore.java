package io.llmgateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** An in-memory store that can run a hook inside {@code save} and can be made to fail writes. */
final class RecordingStore implements TokenStore {
    private final InMemoryTokenStore delegate;
    private volatile Runnable onSave = () -> { };
    private volatile boolean failWrites;

    RecordingStore(StoredTokens initial) {
        this.delegate = new InMemoryTokenStore(initial);
    }

    RecordingStore onSave(Runnable hook) {
        this.onSave = hook;
        return this;
    }

    RecordingStore failingWrites() {
        this.failWrites = true;
        return this;
    }

    @Override
    public StoredTokens load() {
        return delegate.load();
    }

    @Override
    public void save(String refreshToken, String accessToken, Instant expiresAt) {
        onSave.run();
        if (failWrites) {
            throw new UncheckedIOException(new IOException("read-only file system"));
        }
        delegate.save(refreshToken, accessToken, expiresAt);
    }

    @Override
    public void recordForcedRefresh(Instant at) {
        if (failWrites) {
            throw new UncheckedIOException(new IOException("read-only file system"));
        }
        delegate.recordForcedRefresh(at);
    }

    @Override
    public String describe() {
        return "recording store";
    }
}
