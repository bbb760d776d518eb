package io.llmgateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands out a valid access token. The held token is served without locking while fresh, replaced in the
 * background when stale and, when expired, by one refresh that every waiting caller shares (single-flight).
 * Refresh tokens come from the {@link TokenStore} at every refresh and rotated ones are stored before use.
 */
public final class TokenManager implements AutoCloseable {
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);
    static final Duration MAX_STALE_WINDOW = Duration.ofMinutes(5);
    static final Duration INVALID_GRANT_BACKOFF = Duration.ofMinutes(5);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final Duration KEEP_ALIVE_CHECK_PERIOD = Duration.ofMinutes(1);
    /** The configured token, the seed, and one more if another process rotates the stored one meanwhile. */
    private static final int MAX_ATTEMPTS_PER_REFRESH = 3;

    private static final Logger LOG = Logger.getLogger(TokenManager.class.getName());

    private enum Mode {
        /** Refresh because the held token is stale or expired; a fresh token another process stored will do. */
        ORDINARY,
        /** The upstream rejected the held token; a different fresh token another process stored will do. */
        REJECTED,
        /** Exercise the refresh token so it does not die idle: must reach the endpoint. */
        KEEP_ALIVE
    }

    private final TokenEndpoint endpoint;
    private final TokenStore store;
    private final Supplier<String> seedRefreshToken;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Duration keepAliveInterval;

    private final Object lock = new Object();
    private volatile Held held;
    /** Written under {@link #lock}; read without it on the stale path. */
    private volatile CompletableFuture<Held> inFlight;
    private volatile Failure failure;
    private int consecutiveFailures; // guarded by lock
    private ScheduledFuture<?> keepAliveTask; // guarded by lock
    private volatile Unsaved unsaved;
    private volatile String storeProblem;
    private volatile Instant lastRefreshAt;
    private volatile Instant lastForcedRefresh;
    private volatile BooleanSupplier oauthInUse = () -> true;

    /**
     * @param seedRefreshToken  the configured {@code OAUTH_REFRESH_TOKEN}; used only while the store holds none,
     *                          or once when the stored one is rejected; may return null
     * @param executor          runs background refreshes and the keep-alive check; owned by the caller
     * @param keepAliveInterval how long the refresh token may go without a forced refresh; zero turns it off
     */
    public TokenManager(TokenEndpoint endpoint, TokenStore store, Supplier<String> seedRefreshToken, Clock clock,
                        ScheduledExecutorService executor, Duration keepAliveInterval) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.store = Objects.requireNonNull(store, "store");
        this.seedRefreshToken = Objects.requireNonNull(seedRefreshToken, "seedRefreshToken");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.keepAliveInterval = Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        if (keepAliveInterval.isNegative()) {
            throw new IllegalArgumentException("keepAliveInterval must not be negative: " + keepAliveInterval);
        }
        this.held = cachedToken(loadQuietly());
    }

    /**
     * Skips the keep-alive while this says OAuth is not in use (a static {@code LLM_API_KEY}, which a hot reload
     * may add or remove): there is then no refresh token to keep alive, and trying only logs failures.
     */
    public void keepAliveOnlyWhile(BooleanSupplier inUse) {
        this.oauthInUse = Objects.requireNonNull(inUse, "inUse");
    }

    /** Schedules the keep-alive check (if enabled). */
    public void start() {
        if (keepAliveInterval.isZero()) {
            return;
        }
        long period = KEEP_ALIVE_CHECK_PERIOD.toMillis();
        synchronized (lock) {
            if (keepAliveTask == null) {
                keepAliveTask = executor.scheduleWithFixedDelay(this::keepAliveSafely, period, period,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * A token to send upstream now.
     *
     * @throws TokenRefreshException when no usable token is held and none could be obtained
     */
    public String accessToken() {
        Held current = held;
        if (current != null) {
            Instant now = clock.instant();
            TokenState state = current.stateAt(now);
            if (state == TokenState.STALE) {
                refreshInBackground(now);
            }
            if (state != TokenState.EXPIRED) {
                return current.token;
            }
        }
        return refreshAndWait(Mode.ORDINARY, null);
    }

    /**
     * The upstream answered 401 to {@code rejectedToken}: refresh once, unless the token was already replaced
     * (then the replacement is returned without another refresh).
     */
    public String refreshAfterRejection(String rejectedToken) {
        Held current = held;
        if (current == null || !current.token.equals(rejectedToken)) {
            return accessToken();
        }
        return refreshAndWait(Mode.REJECTED, rejectedToken);
    }

    /**
     * Forces a refresh when the last one forced is at least the keep-alive interval ago, so an idle refresh
     * token never reaches the server's idle limit.
     *
     * @return whether a refresh was due (and done)
     * @throws TokenRefreshException when the due refresh failed; the next check tries again
     */
    public boolean keepAliveIfDue() {
        if (keepAliveInterval.isZero() || !oauthInUse.getAsBoolean()) {
            return false;
        }
        Instant last = latest(loadQuietly().lastForcedRefresh(), lastForcedRefresh);
        if (last != null && clock.instant().isBefore(last.plus(keepAliveInterval))) {
            return false;
        }
        refreshAndWait(Mode.KEEP_ALIVE, null);
        Instant now = clock.instant();
        lastForcedRefresh = now;
        try {
            store.recordForcedRefresh(now);
        } catch (RuntimeException e) {
            storeFailed("Cannot record the keep-alive time in " + store.describe(), e);
        }
        LOG.info("Keep-alive refresh done; the refresh token stays alive");
        return true;
    }

    public TokenHealth health() {
        Held current = held;
        Failure lastFailure = failure;
        TokenState state = current == null ? TokenState.EXPIRED : current.stateAt(clock.instant());
        boolean usable = state != TokenState.EXPIRED;
        boolean ready;
        if (lastFailure != null) {
            ready = usable && !lastFailure.needsOperator;
        } else {
            ready = usable || firstCandidate(loadQuietly()) != null;
        }
        String problem = storeProblem;
        List<String> warnings = problem == null ? List.of() : List.of(problem);
        return new TokenHealth(state, ready, current == null ? null : current.expiresAt,
                lastFailure == null ? null : lastFailure.error.getMessage(), lastRefreshAt, warnings,
                store.describe());
    }

    /** Stops the keep-alive; the executor itself belongs to the caller. */
    @Override
    public void close() {
        synchronized (lock) {
            if (keepAliveTask != null) {
                keepAliveTask.cancel(false);
                keepAliveTask = null;
            }
        }
    }

    @Override
    public String toString() {
        Held current = held;
        return "TokenManager[store=" + store.describe() + ", expiresAt="
                + (current == null ? null : current.expiresAt) + "]";
    }

    static TokenState stateOf(Instant expiresAt, Duration lifetime, Instant now) {
        // A token shorter-lived than the margins would otherwise be refreshed on every call.
        Duration expiredMargin = lifetime == null ? EXPIRY_MARGIN : min(EXPIRY_MARGIN, lifetime.dividedBy(2));
        Duration staleWindow = lifetime == null ? MAX_STALE_WINDOW : min(MAX_STALE_WINDOW, lifetime.dividedBy(10));
        Instant expiredFrom = expiresAt.minus(expiredMargin);
        if (!now.isBefore(expiredFrom)) {
            return TokenState.EXPIRED;
        }
        return now.isBefore(expiredFrom.minus(staleWindow)) ? TokenState.FRESH : TokenState.STALE;
    }

    private void refreshInBackground(Instant now) {
        if (inFlight != null || inBackoff(failure, now)) {
            return;
        }
        CompletableFuture<Held> flight;
        synchronized (lock) {
            if (inFlight != null) {
                return;
            }
            flight = new CompletableFuture<>();
            inFlight = flight;
        }
        try {
            executor.execute(() -> runRefresh(flight, Mode.ORDINARY));
        } catch (RejectedExecutionException e) {
            runRefresh(flight, Mode.ORDINARY); // executor shut down: nobody may be left waiting on this flight
        }
    }

    private String refreshAndWait(Mode mode, String rejectedToken) {
        failFastWhileBackingOff(); // outside the lock: during an outage callers fail without queueing
        CompletableFuture<Held> flight;
        boolean leader = false;
        synchronized (lock) {
            Held current = held;
            if (current != null && alreadySatisfied(mode, current, rejectedToken)) {
                return current.token;
            }
            if (inFlight == null) {
                failFastWhileBackingOff(); // again: a refresh may have failed while this caller queued
                inFlight = new CompletableFuture<>();
                leader = true;
            }
            flight = inFlight;
        }
        if (leader) {
            runRefresh(flight, mode);
        }
        return await(flight).token;
    }

    /** Someone else refreshed while this caller was queueing for the lock. */
    private boolean alreadySatisfied(Mode mode, Held current, String rejectedToken) {
        return switch (mode) {
            case ORDINARY -> current.stateAt(clock.instant()) != TokenState.EXPIRED;
            case REJECTED -> !current.token.equals(rejectedToken)
                    && current.stateAt(clock.instant()) != TokenState.EXPIRED;
            case KEEP_ALIVE -> false;
        };
    }

    /**
     * After a failure, callers get the same error until the backoff ends, instead of hammering the server;
     * a refresh token we have not tried yet (an operator or another process changed the store) is worth a call.
     */
    private void failFastWhileBackingOff() {
        Failure lastFailure = failure;
        if (!inBackoff(lastFailure, clock.instant())) {
            return;
        }
        String next = firstCandidate(loadQuietly());
        if (next == null || lastFailure.tried.contains(next)) {
            throw lastFailure.error.forCaller();
        }
    }

    private static boolean inBackoff(Failure lastFailure, Instant now) {
        return lastFailure != null && now.isBefore(lastFailure.retryAt);
    }

    private Held await(CompletableFuture<Held> flight) {
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenRefreshException.network("Interrupted while waiting for an access token", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TokenRefreshException refreshFailure) {
                throw refreshFailure.forCaller();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void runRefresh(CompletableFuture<Held> flight, Mode mode) {
        Set<String> tried = new HashSet<>();
        try {
            Held result = refresh(mode, tried);
            finish(flight);
            flight.complete(result);
        } catch (TokenRefreshException e) {
            recordFailure(e, tried);
            finish(flight);
            flight.completeExceptionally(e);
        } catch (RuntimeException e) {
            TokenRefreshException wrapped = TokenRefreshException.network("Token refresh failed: " + e, e);
            recordFailure(wrapped, tried);
            finish(flight);
            flight.completeExceptionally(wrapped);
        } catch (Error e) {
            finish(flight);
            flight.completeExceptionally(e);
            throw e;
        }
    }

    private void finish(CompletableFuture<Held> flight) {
        synchronized (lock) {
            if (inFlight == flight) {
                inFlight = null;
            }
        }
    }

    private Held refresh(Mode mode, Set<String> tried) {
        StoredTokens stored = loadQuietly();
        if (mode != Mode.KEEP_ALIVE) {
            Held adopted = storedByAnotherProcess(stored);
            if (adopted != null) {
                return adopted;
            }
        }
        String candidate = firstCandidate(stored);
        if (candidate == null) {
            throw TokenRefreshException.missingRefreshToken(store.refreshTokenLocation());
        }
        while (true) {
            tried.add(candidate);
            try {
                return publish(endpoint.refresh(candidate), candidate, stored);
            } catch (TokenRefreshException e) {
                if (!e.invalidGrant()) {
                    throw e;
                }
                // A rejected stored token may have been rotated by another process meanwhile (take the new
                // one), or an operator may have re-seeded OAUTH_REFRESH_TOKEN through the environment while
                // the store still holds the dead token: the seed is then worth exactly one try.
                stored = loadQuietly();
                candidate = untried(tried, effectiveStoredToken(stored), seed());
                if (candidate == null || tried.size() == MAX_ATTEMPTS_PER_REFRESH) {
                    throw e.withRefreshTokenLocation(store.refreshTokenLocation());
                }
                LOG.warning("The refresh token was rejected (invalid_grant); trying the "
                        + (candidate.equals(seed()) ? "configured OAUTH_REFRESH_TOKEN" : "newly stored one"));
            }
        }
    }

    /** Another process sharing the store already refreshed: use its token rather than rotate again. */
    private Held storedByAnotherProcess(StoredTokens stored) {
        Held candidate = cachedToken(stored);
        Held current = held;
        if (candidate == null || (current != null && current.token.equals(candidate.token))
                || candidate.stateAt(clock.instant()) != TokenState.FRESH) {
            return null;
        }
        succeeded(candidate);
        LOG.info("Using the access token another process stored in " + store.describe());
        return candidate;
    }

    /** Persists first: a rotated refresh token lost after the old one was spent would need an operator. */
    private Held publish(TokenGrant grant, String usedRefreshToken, StoredTokens stored) {
        Instant now = clock.instant();
        boolean rotated = grant.refreshToken() != null && !grant.refreshToken().equals(usedRefreshToken);
        String refreshToken = grant.refreshToken() != null ? grant.refreshToken() : usedRefreshToken;
        Instant expiresAt = now.plus(grant.expiresIn());
        try {
            store.save(refreshToken, grant.accessToken(), expiresAt);
            unsaved = null;
            storeProblem = null;
        } catch (RuntimeException e) {
            unsaved = new Unsaved(refreshToken, stored.refreshToken());
            storeFailed("Cannot save tokens to " + store.describe() + "; serving them from memory, and a rotated"
                    + " refresh token will be lost on restart", e);
        }
        Held fresh = new Held(grant.accessToken(), expiresAt, grant.expiresIn());
        succeeded(fresh);
        lastRefreshAt = now;
        LOG.info("Access token refreshed; expires at " + expiresAt + (rotated ? "; refresh token rotated" : ""));
        return fresh;
    }

    private void succeeded(Held token) {
        held = token;
        synchronized (lock) {
            failure = null;
            consecutiveFailures = 0;
        }
    }

    private void recordFailure(TokenRefreshException e, Set<String> tried) {
        Instant now = clock.instant();
        boolean needsOperator = e.invalidGrant() || tried.isEmpty();
        synchronized (lock) {
            Duration wait;
            if (needsOperator) {
                wait = INVALID_GRANT_BACKOFF;
            } else {
                int doublings = Math.min(consecutiveFailures++, 6);
                wait = min(MAX_BACKOFF, FIRST_BACKOFF.multipliedBy(1L << doublings));
            }
            failure = new Failure(e, Set.copyOf(tried), now.plus(wait), needsOperator);
        }
        LOG.warning("Token refresh failed: " + e.getMessage());
    }

    private void keepAliveSafely() {
        try {
            keepAliveIfDue();
        } catch (RuntimeException e) {
            // An escaping exception would cancel the schedule; the failure is already recorded for health.
            LOG.log(Level.WARNING, "Keep-alive refresh failed: " + e.getMessage());
        }
    }

    /** The store's refresh token (or one we rotated but could not store); the seed only when it has none. */
    private String firstCandidate(StoredTokens stored) {
        String fromStore = effectiveStoredToken(stored);
        return fromStore != null ? fromStore : seed();
    }

    private String effectiveStoredToken(StoredTokens stored) {
        Unsaved pending = unsaved;
        if (pending != null && Objects.equals(pending.storeValueAtFailure, stored.refreshToken())) {
            return pending.refreshToken;
        }
        return stored.refreshToken();
    }

    private static String untried(Set<String> tried, String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !tried.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private String seed() {
        String value;
        try {
            value = seedRefreshToken.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot read the configured OAUTH_REFRESH_TOKEN: " + e.getMessage());
            return null;
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private StoredTokens loadQuietly() {
        try {
            return store.load();
        } catch (RuntimeException e) {
            storeFailed("Cannot read tokens from " + store.describe(), e);
            return StoredTokens.EMPTY;
        }
    }

    private void storeFailed(String what, RuntimeException e) {
        String problem = what + ": " + e.getMessage();
        if (!problem.equals(storeProblem)) {
            LOG.log(Level.SEVERE, problem, e);
        }
        storeProblem = problem;
    }

    private Held cachedToken(StoredTokens stored) {
        if (stored.accessToken() == null || stored.accessTokenExpiresAt() == null) {
            return null;
        }
        Held cached = new Held(stored.accessToken(), stored.accessTokenExpiresAt(), null);
        return cached.stateAt(clock.instant()) == TokenState.EXPIRED ? null : cached;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The held access token; {@code lifetime} is unknown (null) for a token found in the store. */
    private static final class Held {
        final String token;
        final Instant expiresAt;
        final Duration lifetime;

        Held(String token, Instant expiresAt, Duration lifetime) {
            this.token = token;
            this.expiresAt = expiresAt;
            this.lifetime = lifetime;
        }

        TokenState stateAt(Instant now) {
            return stateOf(expiresAt, lifetime, now);
        }

        @Override
        public String toString() {
            return "Held[token=****, expiresAt=" + expiresAt + "]";
        }
    }

    /** A failed refresh: {@code tried} holds the refresh tokens it spent, so a new one can skip the backoff. */
    private static final class Failure {
        final TokenRefreshException error;
        final Set<String> tried;
        final Instant retryAt;
        final boolean needsOperator;

        Failure(TokenRefreshException error, Set<String> tried, Instant retryAt, boolean needsOperator) {
            this.error = error;
            this.tried = tried;
            this.retryAt = retryAt;
            this.needsOperator = needsOperator;
        }

        @Override
        public String toString() {
            return "Failure[" + error.getMessage() + ", retryAt=" + retryAt + "]";
        }
    }

    /**
     * A refresh token the store refused to take. It stays in use while the store still shows the value it had
     * when the save failed; once something else writes the store, the store wins again.
     */
    private static final class Unsaved {
        final String refreshToken;
        final String storeValueAtFailure;

        Unsaved(String refreshToken, String storeValueAtFailure) {
            this.refreshToken = refreshToken;
            this.storeValueAtFailure = storeValueAtFailure;
        }

        @Override
        public String toString() {
            return "Unsaved[refreshToken=****]";
        }
    }
}
