package io.llmgateway.auth;

import io.llmgateway.testing.MutableClock;
import static io.llmgateway.auth.ScriptedEndpoint.LIFETIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager over a real {@code .env}: what survives restarts and outside edits. */
class TokenManagerEnvFileTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final ScriptedEndpoint endpoint = new ScriptedEndpoint();
    private final ManualScheduler scheduler = new ManualScheduler();

    @TempDir
    Path dir;
    private Path env;

    @BeforeEach
    void seedEnvFile() throws IOException {
        env = Files.writeString(dir.resolve(".env"), """
                OAUTH_HOST=auth.example.com
                OAUTH_REFRESH_TOKEN='refresh-0'
                """);
    }

    @Test
    void outsideEditOfTheRefreshTokenIsUsedByTheNextRefresh() throws IOException {
        // given
        TokenManager manager = manager(endpoint, null);
        manager.accessToken();
        Files.writeString(env, Files.readString(env).replace("'refresh-1'", "'edited-by-hand'"));
        clock.advance(LIFETIME);

        // when
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-2");
        assertThat(endpoint.received()).containsExactly("refresh-0", "edited-by-hand");
        assertThat(Files.readString(env)).contains("OAUTH_REFRESH_TOKEN='refresh-2'");
    }

    @Test
    void seedFromTheEnvironmentDoesNotShadowTheRotatedTokenInTheFile() throws IOException {
        // given
        Files.writeString(env, "OAUTH_REFRESH_TOKEN='rotated-3'\n");

        // when
        manager(endpoint, "seed-from-environment").accessToken();

        // then
        assertThat(endpoint.received()).containsExactly("rotated-3");
    }

    @Test
    void restartReusesTheCachedAccessTokenFromTheFile() {
        // given
        manager(endpoint, null).accessToken();
        clock.advance(Duration.ofMinutes(10));
        ScriptedEndpoint afterRestart = new ScriptedEndpoint();

        // when
        String token = manager(afterRestart, null).accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(afterRestart.calls()).isZero();
    }

    @Test
    void restartWithAnExpiredCachedTokenRefreshesWithTheRotatedRefreshToken() {
        // given
        manager(endpoint, "refresh-0").accessToken();
        clock.advance(LIFETIME);
        ScriptedEndpoint afterRestart = new ScriptedEndpoint();

        // when
        String token = manager(afterRestart, "refresh-0").accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(afterRestart.received()).containsExactly("refresh-1");
    }

    @Test
    void accessTokenAnotherProcessStoredIsAdoptedInsteadOfRotatingAgain() {
        // given
        TokenManager second = manager(endpoint, null);
        ScriptedEndpoint firstEndpoint = new ScriptedEndpoint();
        manager(firstEndpoint, null).accessToken();

        // when
        String token = second.accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(endpoint.calls()).isZero();
    }

    @Test
    void invalidGrantNamesTheEnvFileWhereTheRefreshTokenMustBeReseeded() {
        // given
        endpoint.failingWith(ScriptedEndpoint.invalidGrant());
        TokenManager manager = manager(endpoint, null);

        // when / then
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class)
                .hasMessageContaining("(invalid_grant: Refresh token expired)")
                .hasMessageEndingWith("set OAUTH_REFRESH_TOKEN in " + env.toAbsolutePath() + ".");
        assertThat(manager.health().ready()).isFalse();
    }

    @Test
    void reseedingTheEnvFileAfterInvalidGrantIsUsedAtOnce() throws IOException {
        // given
        endpoint.answering(refreshToken -> {
            if (refreshToken.equals("refresh-0")) {
                throw ScriptedEndpoint.invalidGrant();
            }
            return endpoint.rotatingGrant();
        });
        TokenManager manager = manager(endpoint, null);
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);

        // when
        Files.writeString(env, "OAUTH_REFRESH_TOKEN=reseeded\n");
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(endpoint.received()).containsExactly("refresh-0", "reseeded");
        assertThat(manager.health().ready()).isTrue();
    }

    @Test
    void unwritableEnvFileKeepsTheManagerServingFromMemoryWithAHealthWarning() throws IOException {
        // given: the lock file cannot be created, so every write fails (whatever the user, even root)
        Files.createDirectory(dir.resolve(".env.lock"));
        TokenManager manager = manager(endpoint, null);

        // when
        String first = manager.accessToken();
        clock.advance(LIFETIME);
        String second = manager.accessToken();

        // then
        assertThat(first).isEqualTo("access-1");
        assertThat(second).isEqualTo("access-2");
        assertThat(endpoint.received()).as("the rotated token is kept in memory").containsExactly(
                "refresh-0", "refresh-1");
        TokenHealth health = manager.health();
        assertThat(health.ready()).isTrue();
        assertThat(health.warnings()).singleElement().asString()
                .startsWith("Cannot save tokens to " + env.toAbsolutePath());
        assertThat(Files.readString(env)).contains("OAUTH_REFRESH_TOKEN='refresh-0'");
    }

    @Test
    void keepAliveRecordsTheForcedRefreshInTheEnvFile() throws IOException {
        // given
        TokenManager manager = new TokenManager(endpoint, new EnvFileTokenStore(env), () -> null, clock, scheduler,
                Duration.ofHours(6));

        // when
        boolean first = manager.keepAliveIfDue();
        clock.advance(Duration.ofHours(6).minusSeconds(1));
        boolean tooEarly = manager.keepAliveIfDue();
        clock.advance(Duration.ofSeconds(1));
        boolean due = manager.keepAliveIfDue();

        // then
        assertThat(first).isTrue();
        assertThat(tooEarly).isFalse();
        assertThat(due).isTrue();
        assertThat(endpoint.calls()).isEqualTo(2);
        assertThat(Files.readString(env)).contains("OAUTH_LAST_FORCED_REFRESH='2026-03-01T16:00:00+00:00'");
    }

    private TokenManager manager(ScriptedEndpoint tokenEndpoint, String seed) {
        return new TokenManager(tokenEndpoint, new EnvFileTokenStore(env), () -> seed, clock, scheduler,
                Duration.ZERO);
    }
}
