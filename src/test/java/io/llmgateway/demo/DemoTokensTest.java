package io.llmgateway.demo;

import io.llmgateway.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoTokensTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final DemoTokens tokens = new DemoTokens(Duration.ofMinutes(10), clock);

    @Test
    void issuesAValidAccessTokenAndANewRefreshTokenEachTime() {
        // given
        DemoTokens.Issued first = tokens.issue();

        // when
        DemoTokens.Issued second = tokens.issue();

        // then
        assertThat(first.accessToken()).startsWith("demo-at-").isNotEqualTo(second.accessToken());
        assertThat(first.refreshToken()).startsWith("demo-rt-").isNotEqualTo(second.refreshToken());
        assertThat(first.expiresInSeconds()).isEqualTo(600);
        assertThat(tokens.isValid(first.accessToken())).isTrue();
        assertThat(tokens.isValid(second.accessToken())).isTrue();
    }

    @Test
    void rejectsATokenItNeverIssued() {
        // given
        tokens.issue();

        // when
        boolean valid = tokens.isValid("demo-at-forged");

        // then
        assertThat(valid).isFalse();
    }

    @Test
    void rejectsATokenOnceItsLifetimeHasRunOut() {
        // given
        DemoTokens.Issued issued = tokens.issue();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        boolean validJustBefore = tokens.isValid(issued.accessToken());

        // when
        clock.advance(Duration.ofSeconds(1));

        // then
        assertThat(validJustBefore).isTrue();
        assertThat(tokens.isValid(issued.accessToken())).isFalse();
    }

    @Test
    void forgetsTheOldestTokensBeyondItsBound() {
        // given
        DemoTokens.Issued oldest = tokens.issue();
        DemoTokens.Issued newest = oldest;

        // when
        for (int i = 0; i < DemoTokens.MAX_REMEMBERED; i++) {
            newest = tokens.issue();
        }

        // then
        assertThat(tokens.isValid(oldest.accessToken())).isFalse();
        assertThat(tokens.isValid(newest.accessToken())).isTrue();
    }

    @Test
    void neverShowsTokensInItsTextForm() {
        // given
        DemoTokens.Issued issued = tokens.issue();

        // when
        String text = issued.toString();

        // then
        assertThat(text).doesNotContain(issued.accessToken()).doesNotContain(issued.refreshToken());
    }
}
