package io.llmgateway.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How the simulated upstream behaves.
 *
 * @param tokenLifetime lifetime of issued access tokens ({@code expires_in}); positive
 * @param eventDelay    pause between streamed events; zero streams without pausing (tests)
 * @param clock         source of token expiry and {@code created} timestamps
 */
public record DemoSettings(Duration tokenLifetime, Duration eventDelay, Clock clock) {

    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(3600);
    public static final Duration DEFAULT_EVENT_DELAY = Duration.ofMillis(15);

    /** Servlet init-parameter overriding {@link #eventDelay()}, in milliseconds. */
    static final String EVENT_DELAY_PARAM = "eventDelayMillis";
    /** Servlet init-parameter overriding {@link #tokenLifetime()}, in seconds. */
    static final String TOKEN_LIFETIME_PARAM = "tokenLifetimeSeconds";

    public DemoSettings {
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(eventDelay, "eventDelay");
        Objects.requireNonNull(clock, "clock");
        // expires_in is whole seconds, so anything shorter would announce an already-expired token
        if (tokenLifetime.getSeconds() < 1) {
            throw new IllegalArgumentException("tokenLifetime must be at least one second: " + tokenLifetime);
        }
        if (eventDelay.isNegative()) {
            throw new IllegalArgumentException("eventDelay must not be negative: " + eventDelay);
        }
    }

    /** 3600 s tokens, 15 ms between stream events, system clock. */
    public static DemoSettings defaults() {
        return new DemoSettings(DEFAULT_TOKEN_LIFETIME, DEFAULT_EVENT_DELAY, Clock.systemUTC());
    }

    /** Defaults overridden by whichever init-parameters are present; a malformed value fails deployment. */
    static DemoSettings fromInitParameters(UnaryOperator<String> initParameter) {
        DemoSettings defaults = defaults();
        return new DemoSettings(
                durationParam(initParameter, TOKEN_LIFETIME_PARAM, defaults.tokenLifetime(), false),
                durationParam(initParameter, EVENT_DELAY_PARAM, defaults.eventDelay(), true),
                defaults.clock());
    }

    private static Duration durationParam(UnaryOperator<String> initParameter, String name, Duration fallback,
            boolean millis) {
        String raw = initParameter.apply(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long amount = Long.parseLong(raw.trim());
            return millis ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Init-parameter " + name + " must be a whole number: " + raw, e);
        }
    }
}
