package io.llmgateway.edge;

import io.llmgateway.config.KeyLimits.Limit;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key admission: at most {@code concurrent} requests in flight and {@code perMinute} requests per minute
 * (a token bucket refilled continuously, so a burst cannot take a whole minute's budget twice). Time comes
 * from the injected clock.
 */
public final class KeyLimiter {
    private final Clock clock;
    private final Map<String, KeyState> states = new ConcurrentHashMap<>();

    public KeyLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Admission: either a permit to release when the request ends, or the wait a client should observe. */
    public sealed interface Admission permits Permit, Rejection {
    }

    /** Releasing twice is harmless, so every exit path may release. */
    public static final class Permit implements Admission {
        private final KeyState state;
        private boolean released;

        Permit(KeyState state) {
            this.state = state;
        }

        public synchronized void release() {
            if (!released && state != null) {
                released = true;
                state.release();
            }
        }
    }

    /** Refused: {@code reason} for the client, {@code retryAfter} for its Retry-After header. */
    public record Rejection(String reason, Duration retryAfter) implements Admission {
    }

    public Admission admit(String key, Limit limit) {
        if (limit.concurrent() == 0 && limit.perMinute() == 0) {
            return new Permit(null);
        }
        return states.computeIfAbsent(key, k -> new KeyState()).admit(limit, clock.millis());
    }

    /** Requests of {@code key} in flight now (0 for unknown keys). */
    public int inFlight(String key) {
        KeyState state = states.get(key);
        return state == null ? 0 : state.inFlight();
    }

    static final class KeyState {
        private int inFlight;
        private double tokens = -1;
        private long refilledAt;

        synchronized Admission admit(Limit limit, long now) {
            if (limit.concurrent() > 0 && inFlight >= limit.concurrent()) {
                return new Rejection("Too many concurrent requests for this key (limit " + limit.concurrent() + ")",
                        Duration.ofSeconds(1));
            }
            if (limit.perMinute() > 0) {
                double perMilli = limit.perMinute() / 60_000.0;
                tokens = tokens < 0 ? limit.perMinute()
                        : Math.min(limit.perMinute(), tokens + (now - refilledAt) * perMilli);
                refilledAt = now;
                if (tokens < 1) {
                    long waitMillis = (long) Math.ceil((1 - tokens) / perMilli);
                    return new Rejection("Rate limit of " + limit.perMinute() + " requests per minute reached for this key",
                            Duration.ofSeconds(Math.max(1, (waitMillis + 999) / 1000)));
                }
                tokens -= 1;
            }
            inFlight++;
            return new Permit(this);
        }

        synchronized void release() {
            inFlight--;
        }

        synchronized int inFlight() {
            return inFlight;
        }
    }
}
