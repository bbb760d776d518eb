package io.llmgateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.KeyLimits.Limit;
import io.llmgateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final KeyLimiter limiter = new KeyLimiter(clock);

    @Test
    void concurrencyIsCappedPerKeyAndAReleasedPermitFreesItsSlotOnce() {
        // given
        Limit two = new Limit(2, 0);
        KeyLimiter.Admission first = limiter.admit("alice", two);
        limiter.admit("alice", two);

        // when
        KeyLimiter.Admission third = limiter.admit("alice", two);
        KeyLimiter.Admission otherKey = limiter.admit("bob", two);
        ((KeyLimiter.Permit) first).release();
        ((KeyLimiter.Permit) first).release();

        // then
        assertThat(third).isInstanceOf(KeyLimiter.Rejection.class);
        assertThat(otherKey).isInstanceOf(KeyLimiter.Permit.class);
        assertThat(limiter.inFlight("alice")).isEqualTo(1);
        assertThat(limiter.admit("alice", two)).isInstanceOf(KeyLimiter.Permit.class);
    }

    @Test
    void requestsPerMinuteRefillContinuouslyAndTheRejectionSaysHowLongToWait() {
        // given a budget of 60 per minute, spent at once
        Limit sixty = new Limit(0, 60);
        for (int i = 0; i < 60; i++) {
            ((KeyLimiter.Permit) limiter.admit("ci", sixty)).release();
        }

        // when
        KeyLimiter.Admission spent = limiter.admit("ci", sixty);
        clock.advance(Duration.ofSeconds(1));
        KeyLimiter.Admission refilled = limiter.admit("ci", sixty);

        // then
        assertThat(spent).isInstanceOfSatisfying(KeyLimiter.Rejection.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
        assertThat(refilled).isInstanceOf(KeyLimiter.Permit.class);
    }

    @Test
    void noLimitsAdmitEverythingWithoutKeepingState() {
        // when
        KeyLimiter.Admission admission = limiter.admit("anyone", Limit.NONE);

        // then
        assertThat(admission).isInstanceOf(KeyLimiter.Permit.class);
        assertThat(limiter.inFlight("anyone")).isZero();
    }
}
