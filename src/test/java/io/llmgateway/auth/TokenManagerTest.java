package io.llmgateway.auth;

import io.llmgateway.testing.LogCapture;
import io.llmgateway.testing.MutableClock;
import static io.llmgateway.auth.ScriptedEndpoint.LIFETIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenManagerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration KEEP_ALIVE = Duration.ofHours(6);

    private final MutableClock clock = new MutableClock(T0);
    private final ScriptedEndpoint endpoint = new ScriptedEndpoint();
    private final ManualScheduler scheduler = new ManualScheduler();
    private ExecutorService callers;

    @AfterEach
    void stopCallers() {
        if (callers != null) {
            callers.shutdownNow();
        }
    }

    @Test
    void hundredConcurrentCallersOnAColdStartShareOneRefresh() throws Exception {
        // given
        CountDownLatch entered = new CountDownLatch(100);
        endpoint.answering(refreshToken -> {
            awaitLatch(entered); // every caller has asked before the one refresh answers
            return endpoint.rotatingGrant();
        });
        TokenManager manager = manager(storeWith("refresh-0"), null);

        // when
        List<Future<String>> tokens = concurrently(100, entered, manager::accessToken);

        // then
        assertThat(results(tokens)).hasSize(100).containsOnly("access-1");
        assertThat(endpoint.received()).containsExactly("refresh-0");
    }

    @Test
    void callersWaitingOnAFailedRefreshAllGetItsErrorFromOneCall() throws Exception {
        // given
        CountDownLatch entered = new CountDownLatch(100);
        endpoint.answering(refreshToken -> {
            awaitLatch(entered);
            throw ScriptedEndpoint.unreachable();
        });
        TokenManager manager = manager(storeWith("refresh-0"), null);

        // when
        List<Future<String>> tokens = concurrently(100, entered, manager::accessToken);

        // then
        for (Future<String> token : tokens) {
            assertThatThrownBy(token::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TokenRefreshException.class)
                    .hasMessage("Connect to auth.example timed out");
        }
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void freshTokenIsServedWithoutCallingTheEndpoint() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        String first = manager.accessToken();
        clock.advance(Duration.ofMinutes(30));

        // when
        String second = manager.accessToken();

        // then
        assertThat(second).isEqualTo(first);
        assertThat(endpoint.calls()).isEqualTo(1);
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void staleTokenIsServedWhileOneBackgroundRefreshRuns() throws Exception {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        manager.accessToken();
        clock.advance(LIFETIME.minus(Duration.ofMinutes(2)));

        // when
        List<Future<String>> tokens = concurrently(20, null, manager::accessToken);

        // then
        assertThat(results(tokens)).containsOnly("access-1");
        assertThat(scheduler.pendingCount()).isEqualTo(1);
        assertThat(endpoint.calls()).isEqualTo(1);

        // when
        scheduler.runPending();

        // then
        assertThat(endpoint.received()).containsExactly("refresh-0", "refresh-1");
        assertThat(manager.accessToken()).isEqualTo("access-2");
    }

    @Test
    void expiredTokenIsRefreshedBeforeItIsReturned() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        manager.accessToken();
        clock.advance(LIFETIME.minus(Duration.ofSeconds(30)));

        // when
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-2");
        assertThat(endpoint.received()).containsExactly("refresh-0", "refresh-1");
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void stateWindowsAreMeasuredFromExpiryAndScaleWithTheLifetime() {
        // given
        Instant expiry = T0.plus(LIFETIME);
        Instant shortExpiry = T0.plus(Duration.ofSeconds(60));

        // when / then: an hour-long token is stale 6 minutes before expiry and expired 1 minute before
        assertThat(TokenManager.stateOf(expiry, LIFETIME, expiry.minusSeconds(361))).isEqualTo(TokenState.FRESH);
        assertThat(TokenManager.stateOf(expiry, LIFETIME, expiry.minusSeconds(360))).isEqualTo(TokenState.STALE);
        assertThat(TokenManager.stateOf(expiry, LIFETIME, expiry.minusSeconds(61))).isEqualTo(TokenState.STALE);
        assertThat(TokenManager.stateOf(expiry, LIFETIME, expiry.minusSeconds(60))).isEqualTo(TokenState.EXPIRED);
        assertThat(TokenManager.stateOf(expiry, LIFETIME, expiry.plusSeconds(1))).isEqualTo(TokenState.EXPIRED);
        // a token of unknown lifetime (cached in the store) gets the full margins
        assertThat(TokenManager.stateOf(expiry, null, expiry.minusSeconds(361))).isEqualTo(TokenState.FRESH);
        assertThat(TokenManager.stateOf(expiry, null, expiry.minusSeconds(360))).isEqualTo(TokenState.STALE);
        assertThat(TokenManager.stateOf(expiry, null, expiry.minusSeconds(60))).isEqualTo(TokenState.EXPIRED);
        // a one-minute token is not born expired: margins shrink to half and a tenth of its lifetime
        Duration minute = Duration.ofSeconds(60);
        assertThat(TokenManager.stateOf(shortExpiry, minute, T0)).isEqualTo(TokenState.FRESH);
        assertThat(TokenManager.stateOf(shortExpiry, minute, T0.plusSeconds(24))).isEqualTo(TokenState.STALE);
        assertThat(TokenManager.stateOf(shortExpiry, minute, T0.plusSeconds(30))).isEqualTo(TokenState.EXPIRED);
    }

    @Test
    void rotatedRefreshTokenIsStoredBeforeTheNewAccessTokenIsPublished() {
        // given
        List<String> events = new CopyOnWriteArrayList<>();
        RecordingStore store = new RecordingStore(new StoredTokens("refresh-0", null, null, null));
        TokenManager manager = manager(store, null);
        manager.accessToken();
        clock.advance(LIFETIME);
        endpoint.answering(refreshToken -> {
            events.add("endpoint called with " + refreshToken);
            return endpoint.rotatingGrant();
        });
        store.onSave(() -> events.add("saved while the published token expires at " + manager.health().expiresAt()));

        // when
        String token = manager.accessToken();
        events.add("returned " + token);

        // then
        assertThat(events).containsExactly(
                "endpoint called with refresh-1",
                "saved while the published token expires at " + T0.plus(LIFETIME),
                "returned access-2");
        assertThat(store.load()).isEqualTo(
                new StoredTokens("refresh-2", "access-2", T0.plus(LIFETIME).plus(LIFETIME), null));
    }

    @Test
    void grantWithoutRefreshTokenKeepsTheOldOne() {
        // given
        endpoint.notRotating();
        InMemoryTokenStore store = storeWith("refresh-0");
        TokenManager manager = manager(store, null);

        // when
        manager.accessToken();
        clock.advance(LIFETIME);
        manager.accessToken();

        // then
        assertThat(store.load().refreshToken()).isEqualTo("refresh-0");
        assertThat(endpoint.received()).containsExactly("refresh-0", "refresh-0");
    }

    @Test
    void storedRefreshTokenIsNotShadowedByTheSeed() {
        // given
        TokenManager manager = manager(storeWith("rotated-7"), "seed-0");

        // when
        manager.accessToken();

        // then
        assertThat(endpoint.received()).containsExactly("rotated-7");
    }

    @Test
    void seedIsUsedOnlyUntilTheStoreHoldsARefreshToken() {
        // given
        InMemoryTokenStore store = new InMemoryTokenStore();
        TokenManager manager = manager(store, "seed-0");

        // when
        manager.accessToken();
        clock.advance(LIFETIME);
        manager.accessToken();

        // then
        assertThat(endpoint.received()).containsExactly("seed-0", "refresh-1");
        assertThat(store.load().refreshToken()).isEqualTo("refresh-2");
    }

    @Test
    void reSeededConfigurationTokenIsTriedOnceAfterTheStoredOneIsRejected() {
        // given
        endpoint.answering(refreshToken -> {
            if (refreshToken.equals("dead")) {
                throw ScriptedEndpoint.invalidGrant();
            }
            return endpoint.rotatingGrant();
        });
        InMemoryTokenStore store = storeWith("dead");
        TokenManager manager = manager(store, "reseeded");

        // when
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(endpoint.received()).containsExactly("dead", "reseeded");
        assertThat(store.load().refreshToken()).isEqualTo("refresh-1");
    }

    @Test
    void rejectedSeedEndsTheRefreshAfterOneTry() {
        // given
        endpoint.failingWith(ScriptedEndpoint.invalidGrant());
        TokenManager manager = manager(storeWith("dead"), "also-dead");

        // when / then
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
        assertThat(endpoint.received()).containsExactly("dead", "also-dead");
    }

    @Test
    void seedEqualToTheRejectedTokenIsNotTriedAgain() {
        // given
        endpoint.failingWith(ScriptedEndpoint.invalidGrant());
        TokenManager manager = manager(storeWith("dead"), "dead");

        // when / then
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
        assertThat(endpoint.received()).containsExactly("dead");
    }

    @Test
    void cachedUnexpiredAccessTokenIsReusedWithoutCallingTheEndpoint() {
        // given
        InMemoryTokenStore store = new InMemoryTokenStore(
                new StoredTokens("refresh-0", "cached", T0.plus(Duration.ofMinutes(30)), null));

        // when
        String token = manager(store, null).accessToken();

        // then
        assertThat(token).isEqualTo("cached");
        assertThat(endpoint.calls()).isZero();
    }

    @Test
    void cachedAccessTokenWithinTheExpiryMarginIsRefreshed() {
        // given
        InMemoryTokenStore store = new InMemoryTokenStore(
                new StoredTokens("refresh-0", "cached", T0.plusSeconds(30), null));

        // when
        String token = manager(store, null).accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(endpoint.received()).containsExactly("refresh-0");
    }

    @Test
    void invalidGrantExplainsHowToReseedAndMakesHealthNotReady() {
        // given
        endpoint.failingWith(ScriptedEndpoint.invalidGrant());
        TokenManager manager = manager(storeWith("dead"), null);

        // when / then
        assertThatThrownBy(manager::accessToken)
                .isInstanceOfSatisfying(TokenRefreshException.class, e -> {
                    assertThat(e.invalidGrant()).isTrue();
                    assertThat(e.status()).isEqualTo(400);
                })
                .hasMessageContaining("invalid_grant: Refresh token expired")
                .hasMessageContaining("set OAUTH_REFRESH_TOKEN in the configuration");
        TokenHealth health = manager.health();
        assertThat(health.ready()).isFalse();
        assertThat(health.state()).isEqualTo(TokenState.EXPIRED);
        assertThat(health.lastError()).contains("invalid_grant", "OAUTH_REFRESH_TOKEN");
    }

    @Test
    void invalidGrantOnKeepAliveMakesHealthNotReadyWhileTheHeldTokenIsStillServed() {
        // given
        TokenManager manager = managerWithKeepAlive(storeWith("refresh-0"));
        manager.accessToken();
        endpoint.failingWith(ScriptedEndpoint.invalidGrant());

        // when
        assertThatThrownBy(manager::keepAliveIfDue).isInstanceOf(TokenRefreshException.class);

        // then
        assertThat(manager.accessToken()).isEqualTo("access-1");
        TokenHealth health = manager.health();
        assertThat(health.state()).isEqualTo(TokenState.FRESH);
        assertThat(health.ready()).isFalse();
        assertThat(health.lastError()).contains("invalid_grant");
    }

    @Test
    void invalidGrantIsNotRetriedWithinFiveMinutes() {
        // given
        endpoint.failingWith(ScriptedEndpoint.invalidGrant());
        TokenManager manager = manager(storeWith("dead"), null);
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);

        // when
        clock.advance(Duration.ofMinutes(5).minusMillis(1));

        // then
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class)
                .hasMessageContaining("invalid_grant");
        assertThat(endpoint.calls()).isEqualTo(1);

        // when
        clock.advance(Duration.ofMillis(1));
        endpoint.rotating();

        // then
        assertThat(manager.accessToken()).isEqualTo("access-1");
        assertThat(endpoint.received()).containsExactly("dead", "dead");
    }

    @Test
    void invalidGrantIsRetriedAtOnceWhenTheStoredRefreshTokenChanges() {
        // given
        endpoint.answering(refreshToken -> {
            if (refreshToken.equals("dead")) {
                throw ScriptedEndpoint.invalidGrant();
            }
            return endpoint.rotatingGrant();
        });
        InMemoryTokenStore store = storeWith("dead");
        TokenManager manager = manager(store, null);
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);

        // when
        store.save("replaced-by-operator", null, null);
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(endpoint.received()).containsExactly("dead", "replaced-by-operator");
        assertThat(manager.health().ready()).isTrue();
        assertThat(manager.health().lastError()).isNull();
    }

    @Test
    void networkFailuresBackOffExponentially() {
        // given
        endpoint.failingWith(ScriptedEndpoint.unreachable());
        TokenManager manager = manager(storeWith("refresh-0"), null);
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);

        // when: within the first second, then at it
        clock.advance(Duration.ofMillis(999));
        assertThatThrownBy(manager::accessToken).hasMessage("Connect to auth.example timed out");
        int callsWithinFirstWindow = endpoint.calls();
        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
        int callsAfterFirstWindow = endpoint.calls();
        // within the next two seconds, then at them
        clock.advance(Duration.ofMillis(1999));
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
        int callsWithinSecondWindow = endpoint.calls();
        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);

        // then
        assertThat(List.of(callsWithinFirstWindow, callsAfterFirstWindow, callsWithinSecondWindow, endpoint.calls()))
                .containsExactly(1, 2, 2, 3);
        assertThat(manager.health().ready()).isFalse();
    }

    @Test
    void networkBackoffIsCappedAtOneMinute() {
        // given: eight failures, each after the previous window ended
        endpoint.failingWith(ScriptedEndpoint.unreachable());
        TokenManager manager = manager(storeWith("refresh-0"), null);
        for (int i = 0; i < 8; i++) {
            assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
            clock.advance(Duration.ofMinutes(1));
        }
        int failedCalls = endpoint.calls();
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);

        // when
        clock.advance(Duration.ofMinutes(1).minusMillis(1));
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
        int callsWithinWindow = endpoint.calls();
        clock.advance(Duration.ofMillis(1));
        endpoint.rotating();
        String token = manager.accessToken();

        // then
        assertThat(failedCalls).isEqualTo(8);
        assertThat(callsWithinWindow).isEqualTo(9);
        assertThat(token).isEqualTo("access-1");
    }

    @Test
    void staleTokenKeepsBeingServedWithoutNewRefreshesWhileBackingOff() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        manager.accessToken();
        clock.advance(LIFETIME.minus(Duration.ofMinutes(2)));
        endpoint.failingWith(ScriptedEndpoint.unreachable());
        manager.accessToken();
        scheduler.runPending();

        // when
        String duringBackoff = manager.accessToken();
        int pendingDuringBackoff = scheduler.pendingCount();
        clock.advance(Duration.ofSeconds(1));
        String afterBackoff = manager.accessToken();

        // then
        assertThat(duringBackoff).isEqualTo("access-1");
        assertThat(pendingDuringBackoff).isZero();
        assertThat(afterBackoff).isEqualTo("access-1");
        assertThat(scheduler.pendingCount()).isEqualTo(1);
        assertThat(manager.health().ready()).isTrue();
        assertThat(manager.health().lastError()).isEqualTo("Connect to auth.example timed out");
    }

    @Test
    void refreshAfterRejectionForcesOneRefreshWhenTheTokenIsCurrent() throws Exception {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        String rejected = manager.accessToken();

        // when
        List<Future<String>> tokens = concurrently(20, null, () -> manager.refreshAfterRejection(rejected));

        // then
        assertThat(results(tokens)).containsOnly("access-2");
        assertThat(endpoint.received()).containsExactly("refresh-0", "refresh-1");
    }

    @Test
    void refreshAfterRejectionOfAnAlreadyReplacedTokenMakesNoCall() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        String current = manager.accessToken();

        // when
        String token = manager.refreshAfterRejection("access-0");

        // then
        assertThat(token).isEqualTo(current);
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void keepAliveRefreshesWhenDueAndRecordsTheTime() {
        // given
        InMemoryTokenStore store = new InMemoryTokenStore(new StoredTokens(
                "refresh-0", "cached", T0.plus(Duration.ofMinutes(50)), T0.minus(KEEP_ALIVE)));
        TokenManager manager = managerWithKeepAlive(store);

        // when
        boolean fired = manager.keepAliveIfDue();

        // then
        assertThat(fired).isTrue();
        assertThat(endpoint.received()).containsExactly("refresh-0");
        assertThat(store.load()).isEqualTo(new StoredTokens("refresh-1", "access-1", T0.plus(LIFETIME), T0));
        assertThat(manager.accessToken()).isEqualTo("access-1");
    }

    @Test
    void keepAliveWaitsUntilTheIntervalHasPassed() {
        // given
        InMemoryTokenStore store = new InMemoryTokenStore(
                new StoredTokens("refresh-0", null, null, T0.minus(Duration.ofHours(5))));
        TokenManager manager = managerWithKeepAlive(store);

        // when
        boolean firedEarly = manager.keepAliveIfDue();
        clock.advance(Duration.ofHours(1));
        boolean firedWhenDue = manager.keepAliveIfDue();

        // then
        assertThat(firedEarly).isFalse();
        assertThat(firedWhenDue).isTrue();
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void keepAliveIsDueWhenNoForcedRefreshWasEverRecorded() {
        // given
        TokenManager manager = managerWithKeepAlive(storeWith("refresh-0"));

        // when
        boolean fired = manager.keepAliveIfDue();

        // then
        assertThat(fired).isTrue();
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void keepAliveIsSkippedWhileOAuthIsNotInUseAndResumesWhenItIs() {
        // given a static API key in use, which a hot reload later removes
        TokenManager manager = managerWithKeepAlive(storeWith("refresh-0"));
        java.util.concurrent.atomic.AtomicBoolean oauth = new java.util.concurrent.atomic.AtomicBoolean(false);
        manager.keepAliveOnlyWhile(oauth::get);

        // when
        boolean firedWithStaticKey = manager.keepAliveIfDue();
        oauth.set(true);
        boolean firedWithOAuth = manager.keepAliveIfDue();

        // then
        assertThat(firedWithStaticKey).isFalse();
        assertThat(firedWithOAuth).isTrue();
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void keepAliveIsOffWhenTheIntervalIsZero() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);

        // when
        manager.start();
        boolean fired = manager.keepAliveIfDue();

        // then
        assertThat(scheduler.periodicTasks()).isEmpty();
        assertThat(fired).isFalse();
        assertThat(endpoint.calls()).isZero();
    }

    @Test
    void startSchedulesTheKeepAliveCheckEveryMinuteAndCloseCancelsIt() {
        // given
        TokenManager manager = managerWithKeepAlive(storeWith("refresh-0"));

        // when
        manager.start();
        ManualScheduler.Periodic check = scheduler.periodicTasks().get(0);
        check.runOnce();
        manager.close();

        // then
        assertThat(scheduler.periodicTasks()).hasSize(1);
        assertThat(check.period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(endpoint.calls()).isEqualTo(1);
        assertThat(check.isCancelled()).isTrue();
    }

    @Test
    void failingScheduledKeepAliveIsReportedAndKeepsItsSchedule() {
        // given
        endpoint.failingWith(ScriptedEndpoint.unreachable());
        TokenManager manager = managerWithKeepAlive(storeWith("refresh-0"));
        manager.start();
        ManualScheduler.Periodic check = scheduler.periodicTasks().get(0);

        // when
        check.runOnce();

        // then
        assertThat(check.isCancelled()).isFalse();
        assertThat(manager.health().lastError()).isEqualTo("Connect to auth.example timed out");
    }

    @Test
    void storeWriteFailureKeepsServingFromMemoryWithAHealthWarning() {
        // given
        RecordingStore store = new RecordingStore(new StoredTokens("refresh-0", null, null, null)).failingWrites();
        TokenManager manager = manager(store, null);

        // when
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        TokenHealth health = manager.health();
        assertThat(health.ready()).isTrue();
        assertThat(health.warnings()).singleElement().asString()
                .contains("Cannot save tokens to recording store", "read-only file system");
    }

    @Test
    void rotatedRefreshTokenTheStoreRefusedIsUsedFromMemory() {
        // given
        RecordingStore store = new RecordingStore(new StoredTokens("refresh-0", null, null, null)).failingWrites();
        TokenManager manager = manager(store, "refresh-0");
        manager.accessToken();
        clock.advance(LIFETIME);

        // when
        String token = manager.accessToken();

        // then
        assertThat(token).isEqualTo("access-2");
        assertThat(endpoint.received()).containsExactly("refresh-0", "refresh-1");
    }

    @Test
    void missingRefreshTokenFailsWithTheFixAndRecoversOnceOneIsStored() {
        // given
        InMemoryTokenStore store = new InMemoryTokenStore();
        TokenManager manager = manager(store, null);

        // when
        assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class)
                .hasMessageContaining("No refresh token is configured")
                .hasMessageContaining("OAUTH_REFRESH_TOKEN");
        boolean readyWithout = manager.health().ready();
        store.save("refresh-0", null, null);
        String token = manager.accessToken();

        // then
        assertThat(readyWithout).isFalse();
        assertThat(token).isEqualTo("access-1");
        assertThat(endpoint.received()).containsExactly("refresh-0");
    }

    @Test
    void accessTokenStoredByAnotherManagerIsAdoptedInsteadOfRefreshing() {
        // given
        InMemoryTokenStore shared = storeWith("refresh-0");
        TokenManager late = manager(shared, null);
        ScriptedEndpoint otherEndpoint = new ScriptedEndpoint();
        new TokenManager(otherEndpoint, shared, () -> null, clock, scheduler, Duration.ZERO).accessToken();

        // when
        String token = late.accessToken();

        // then
        assertThat(token).isEqualTo("access-1");
        assertThat(otherEndpoint.calls()).isEqualTo(1);
        assertThat(endpoint.calls()).isZero();
    }

    @Test
    void healthDescribesTheHeldToken() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        TokenHealth before = manager.health();

        // when
        manager.accessToken();
        TokenHealth after = manager.health();

        // then
        assertThat(before).isEqualTo(new TokenHealth(TokenState.EXPIRED, true, null, null, null, List.of(),
                "memory (not persisted)"));
        assertThat(after).isEqualTo(new TokenHealth(TokenState.FRESH, true, T0.plus(LIFETIME), null, T0, List.of(),
                "memory (not persisted)"));
    }

    @Test
    void tokensNeverReachTheLog() {
        // given
        RecordingStore store = new RecordingStore(new StoredTokens("refresh-0", null, null, null)).failingWrites();
        TokenManager manager = new TokenManager(endpoint, store, () -> "seed-0", clock, scheduler, KEEP_ALIVE);
        List<String> logged;

        // when
        try (LogCapture log = LogCapture.of("io.llmgateway.auth")) {
            manager.accessToken();
            manager.keepAliveIfDue();
            endpoint.failingWith(ScriptedEndpoint.invalidGrant());
            clock.advance(LIFETIME);
            assertThatThrownBy(manager::accessToken).isInstanceOf(TokenRefreshException.class);
            logged = log.lines();
        }

        // then
        assertThat(logged).isNotEmpty();
        assertThat(String.join("\n", logged)).doesNotContain("access-", "refresh-", "seed-0");
    }

    @Test
    void toStringsAreRedacted() {
        // given
        TokenManager manager = manager(storeWith("refresh-0"), null);
        manager.accessToken();

        // when
        String text = String.join(" ", manager.toString(),
                new TokenGrant("access-x", LIFETIME, "refresh-x").toString(),
                new StoredTokens("refresh-y", "access-y", T0, T0).toString());

        // then
        assertThat(text).doesNotContain("access-", "refresh-").contains("****");
    }

    private TokenManager manager(TokenStore store, String seed) {
        return new TokenManager(endpoint, store, () -> seed, clock, scheduler, Duration.ZERO);
    }

    private TokenManager managerWithKeepAlive(TokenStore store) {
        return new TokenManager(endpoint, store, () -> null, clock, scheduler, KEEP_ALIVE);
    }

    private static InMemoryTokenStore storeWith(String refreshToken) {
        return new InMemoryTokenStore(new StoredTokens(refreshToken, null, null, null));
    }

    /** Runs {@code call} on {@code n} threads released together; each counts {@code entering} down first. */
    private List<Future<String>> concurrently(int n, CountDownLatch entering, Callable<String> call) {
        callers = Executors.newFixedThreadPool(n);
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(callers.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                if (entering != null) {
                    entering.countDown();
                }
                return call.call();
            }));
        }
        return futures;
    }

    private static List<String> results(List<Future<String>> futures) throws Exception {
        List<String> results = new ArrayList<>();
        for (Future<String> future : futures) {
            results.add(future.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("all callers started").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
