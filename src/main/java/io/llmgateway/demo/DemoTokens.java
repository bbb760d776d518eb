package io.llmgateway.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The simulated authorization server's memory: which access tokens it issued and until when they live. */
final class DemoTokens {

    /** Bounds memory under load: the oldest tokens are forgotten first (they expire first anyway). */
    static final int MAX_REMEMBERED = 1000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Instant> expiryByAccessToken = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    DemoTokens(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new access token and a rotated refresh token. */
    synchronized Issued issue() {
        Instant now = clock.instant();
        forgetExpired(now);
        String accessToken = "demo-at-" + randomToken();
        expiryByAccessToken.put(accessToken, now.plus(lifetime));
        return new Issued(accessToken, "demo-rt-" + randomToken(), lifetime.getSeconds());
    }

    /** True for a token this server issued whose lifetime has not run out. */
    synchronized boolean isValid(String accessToken) {
        Instant expiry = expiryByAccessToken.get(accessToken);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    // Insertion order is expiry order (one lifetime for all), so the expired tokens are a prefix.
    private void forgetExpired(Instant now) {
        Iterator<Instant> expiries = expiryByAccessToken.values().iterator();
        while (expiries.hasNext() && !now.isBefore(expiries.next())) {
            expiries.remove();
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    record Issued(String accessToken, String refreshToken, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Issued[accessToken=***, refreshToken=***, expiresInSeconds=" + expiresInSeconds + "]";
        }
    }
}
