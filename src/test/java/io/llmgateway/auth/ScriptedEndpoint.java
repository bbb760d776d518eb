package io.llmgateway.auth;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A token endpoint whose answers the test scripts; records every refresh token it receives. */
final class ScriptedEndpoint implements TokenEndpoint {
    static final Duration LIFETIME = Duration.ofHours(1);

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile Function<String, TokenGrant> answer = refreshToken -> rotatingGrant();

    /** By default every call issues {@code access-N} for an hour and rotates to {@code refresh-N}. */
    ScriptedEndpoint() {
    }

    ScriptedEndpoint answering(Function<String, TokenGrant> answer) {
        this.answer = answer;
        return this;
    }

    ScriptedEndpoint failingWith(TokenRefreshException error) {
        return answering(refreshToken -> {
            throw error;
        });
    }

    ScriptedEndpoint rotating() {
        return answering(refreshToken -> rotatingGrant());
    }

    ScriptedEndpoint notRotating() {
        return answering(refreshToken -> new TokenGrant("access-" + issued.incrementAndGet(), LIFETIME, null));
    }

    TokenGrant rotatingGrant() {
        int n = issued.incrementAndGet();
        return new TokenGrant("access-" + n, LIFETIME, "refresh-" + n);
    }

    @Override
    public TokenGrant refresh(String refreshToken) {
        received.add(refreshToken);
        return answer.apply(refreshToken);
    }

    int calls() {
        return received.size();
    }

    List<String> received() {
        return List.copyOf(received);
    }

    static TokenRefreshException invalidGrant() {
        return TokenRefreshException.rejected(400, "invalid_grant", "Refresh token expired");
    }

    static TokenRefreshException unreachable() {
        return TokenRefreshException.network("Connect to auth.example timed out", null);
    }
}
