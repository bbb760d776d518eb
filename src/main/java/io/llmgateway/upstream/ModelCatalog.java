package io.llmgateway.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The upstream model catalog, fetched lazily and cached for a TTL.
 * <ul>
 *   <li>Single flight: one fetch at a time. While it runs, callers that already have a (stale) catalog get
 *       it at once; callers with nothing yet wait for that fetch and share its outcome.</li>
 *   <li>A failed fetch keeps the previous catalog and is retried on a later call, but not before
 *       {@link #FAILURE_BACKOFF} has passed, so a dead catalog URL does not slow every request.</li>
 *   <li>With no fetcher, an empty catalog, or no successful fetch yet, the configured fallback names
 *       ({@code LLM_MODEL_NAME}) are served instead.</li>
 * </ul>
 * Thread-safe. Fetch failures never propagate from {@link #models()}: startup must not brick the service.
 */
public final class ModelCatalog {
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class.getName());
    private static final int MAX_ERROR_LENGTH = 200;

    /** One immutable snapshot so readers never see a half-updated state without locking. */
    private record State(List<ModelInfo> models, Instant fetchedAt, Instant failedAt, String lastError) {
    }

    private final CatalogFetcher fetcher;
    private final Clock clock;
    private final Duration ttl;
    private final Supplier<List<String>> fallbackNames;
    private volatile Fallback fallback;

    private record Fallback(List<String> names, List<ModelInfo> models) {
    }
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile State state = new State(List.of(), null, null, null);

    /**
     * @param fetcher       the catalog source, or null when no {@code LLM_MODELS_API_URL} is configured
     * @param ttl           how long a fetched catalog is served before it is fetched again
     * @param fallbackNames the configured model names, read at each use because configuration is hot-reloaded
     */
    public ModelCatalog(CatalogFetcher fetcher, Clock clock, Duration ttl, Supplier<List<String>> fallbackNames) {
        this.fetcher = fetcher;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("Model catalog TTL must be positive, got " + ttl);
        }
        this.fallbackNames = Objects.requireNonNull(fallbackNames, "fallbackNames");
    }

    /** The models to advertise: the upstream catalog when there is one, else the configured fallback names. */
    public List<ModelInfo> models() {
        List<ModelInfo> verified = verifiedModels();
        return verified.isEmpty() ? fallback() : verified;
    }

    /**
     * The models the upstream itself listed (fetching as {@link #models()} does), or an empty list when there
     * is nothing to verify a model name against: no fetcher, no successful fetch yet, or an empty catalog.
     */
    public List<ModelInfo> verifiedModels() {
        if (fetcher != null) {
            fetchIfDue();
        }
        return state.models();
    }

    /** The served model with exactly this id. */
    public Optional<ModelInfo> find(String id) {
        for (ModelInfo model : models()) { // a loop: the Anthropic dialect looks a model up on every request
            if (model.id().equals(id)) {
                return Optional.of(model);
            }
        }
        return Optional.empty();
    }

    /**
     * Fetches now, ignoring TTL and failure backoff (waits for a fetch already running, then fetches again).
     * With no fetcher it returns the fallback list.
     *
     * @return the models now served
     * @throws IllegalStateException when the fetch fails; the previous catalog is still kept and served
     */
    public List<ModelInfo> refresh() {
        if (fetcher == null) {
            return fallback();
        }
        fetchLock.lock();
        try {
            Exception failure = fetch();
            if (failure != null) {
                throw new IllegalStateException("Model catalog refresh failed: " + state.lastError(), failure);
            }
        } finally {
            fetchLock.unlock();
        }
        return models();
    }

    /** A snapshot for the health page; never fetches. */
    public CatalogStatus status() {
        State current = state;
        return current.models().isEmpty()
                ? new CatalogStatus(fallback().size(), CatalogStatus.FALLBACK, current.fetchedAt(), current.lastError())
                : new CatalogStatus(current.models().size(), CatalogStatus.CATALOG, current.fetchedAt(),
                        current.lastError());
    }

    private void fetchIfDue() {
        if (!isDue(state)) {
            return;
        }
        // Stale data beats waiting: only a caller with nothing to serve queues behind a running fetch
        if (state.models().isEmpty()) {
            fetchLock.lock();
        } else if (!fetchLock.tryLock()) {
            return;
        }
        try {
            if (isDue(state)) {
                fetch();
            }
        } finally {
            fetchLock.unlock();
        }
    }

    private boolean isDue(State current) {
        Instant now = clock.instant();
        boolean expired = current.fetchedAt() == null || !now.isBefore(current.fetchedAt().plus(ttl));
        boolean backingOff = current.failedAt() != null && now.isBefore(current.failedAt().plus(FAILURE_BACKOFF));
        return expired && !backingOff;
    }

    /** Runs one fetch under the lock; returns its failure, or null on success. */
    private Exception fetch() {
        State previous = state;
        try {
            List<ModelInfo> models = ModelCatalogParser.parse(fetcher.fetch());
            state = new State(models, clock.instant(), null, null);
            LOG.fine(() -> "Model catalog fetched: " + models.size() + " models");
            return null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String error = describe(e);
            state = new State(previous.models(), previous.fetchedAt(), clock.instant(), error);
            // Class and message only: no stack trace, no response body, nothing from the request
            LOG.log(Level.WARNING, "Model catalog fetch failed ({0}); serving {1}; next try in {2}s or later",
                    new Object[] {error,
                            previous.models().isEmpty() ? "the configured LLM_MODEL_NAME list"
                                    : "the previous catalog of " + previous.models().size() + " models",
                            FAILURE_BACKOFF.toSeconds()});
            return e;
        }
    }

    /** The configured names as models; built again only when the names change, since it is asked every request. */
    private List<ModelInfo> fallback() {
        List<String> names = fallbackNames.get();
        if (names == null) {
            return List.of();
        }
        Fallback cached = fallback;
        if (cached == null || !cached.names().equals(names)) {
            cached = new Fallback(names, models(names));
            fallback = cached;
        }
        return cached.models();
    }

    private static List<ModelInfo> models(List<String> names) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                unique.add(name.strip());
            }
        }
        return unique.stream().map(ModelInfo::named).toList();
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().strip();
        String text = e.getClass().getSimpleName() + message;
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
