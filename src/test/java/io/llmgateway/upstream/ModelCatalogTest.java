package io.llmgateway.upstream;

import io.llmgateway.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Answers with queued bodies or failures, counting calls. */
    private static final class ScriptedFetcher implements CatalogFetcher {
        private final List<Object> answers = new ArrayList<>();
        private final AtomicInteger calls = new AtomicInteger();

        ScriptedFetcher thenCatalog(String... ids) {
            var data = Json.MAPPER.createArrayNode();
            for (String id : ids) {
                data.addObject().put("id", id).put("object", "model");
            }
            answers.add(Json.MAPPER.createObjectNode().put("object", "list").set("data", data));
            return this;
        }

        ScriptedFetcher thenFailure(Exception failure) {
            answers.add(failure);
            return this;
        }

        @Override
        public synchronized JsonNode fetch() throws Exception {
            Object answer = answers.get(Math.min(calls.getAndIncrement(), answers.size() - 1));
            if (answer instanceof Exception failure) {
                throw failure;
            }
            return (JsonNode) answer;
        }
    }

    private static List<String> ids(List<ModelInfo> models) {
        return models.stream().map(ModelInfo::id).toList();
    }

    private ModelCatalog catalog(CatalogFetcher fetcher, List<String> fallback) {
        return new ModelCatalog(fetcher, clock, TTL, () -> fallback);
    }

    @Test
    void theCatalogIsFetchedOnFirstUseAndServedFromCacheWithinTheTtl() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenCatalog("a", "b").thenCatalog("c");
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));

        // when
        List<ModelInfo> first = catalog.models();
        clock.advance(TTL.minusSeconds(1));
        List<ModelInfo> second = catalog.models();

        // then
        assertThat(ids(first)).containsExactly("a", "b");
        assertThat(ids(second)).containsExactly("a", "b");
        assertThat(fetcher.calls).hasValue(1);
    }

    @Test
    void aStaleCatalogIsFetchedAgainOnceTheTtlHasPassed() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenCatalog("a").thenCatalog("b");
        ModelCatalog catalog = catalog(fetcher, List.of());
        catalog.models();

        // when
        clock.advance(TTL);
        List<ModelInfo> models = catalog.models();

        // then
        assertThat(ids(models)).containsExactly("b");
        assertThat(fetcher.calls).hasValue(2);
        assertThat(catalog.status()).isEqualTo(new CatalogStatus(1, "catalog", START.plus(TTL), null));
    }

    @Test
    void withoutAFetcherTheConfiguredNamesAreServedTrimmedAndDeduplicated() {
        // given
        ModelCatalog catalog = catalog(null, List.of(" oca/gpt-4.1 ", "oca/llama", "", "oca/gpt-4.1"));

        // when
        List<ModelInfo> models = catalog.models();

        // then
        assertThat(ids(models)).containsExactly("oca/gpt-4.1", "oca/llama");
        assertThat(models.get(0).raw().toString()).isEqualTo("{\"id\":\"oca/gpt-4.1\"}");
        assertThat(catalog.verifiedModels()).isEmpty();
        assertThat(catalog.status()).isEqualTo(new CatalogStatus(2, "fallback", null, null));
    }

    @Test
    void theFallbackNamesAreReadAtEachUseSoHotReloadedConfigurationApplies() {
        // given
        List<String> configured = new ArrayList<>(List.of("old"));
        ModelCatalog catalog = new ModelCatalog(null, clock, TTL, () -> List.copyOf(configured));

        // when
        configured.set(0, "new");

        // then
        assertThat(ids(catalog.models())).containsExactly("new");
    }

    @Test
    void aFailedFirstFetchServesTheFallbackNamesAndRecordsTheError() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenFailure(new IOException("connect timed out"));
        ModelCatalog catalog = catalog(fetcher, List.of("oca/gpt-4.1"));

        // when
        List<ModelInfo> models = catalog.models();

        // then
        assertThat(ids(models)).containsExactly("oca/gpt-4.1");
        assertThat(catalog.verifiedModels()).isEmpty();
        assertThat(catalog.status())
                .isEqualTo(new CatalogStatus(1, "fallback", null, "IOException: connect timed out"));
    }

    @Test
    void aFailedRefetchKeepsThePreviousCatalog() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenCatalog("a").thenFailure(new IOException("503"));
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));
        catalog.models();
        clock.advance(TTL);

        // when
        List<ModelInfo> models = catalog.models();

        // then
        assertThat(ids(models)).containsExactly("a");
        assertThat(fetcher.calls).hasValue(2);
        assertThat(catalog.status()).isEqualTo(new CatalogStatus(1, "catalog", START, "IOException: 503"));
    }

    @Test
    void aMalformedCatalogBodyCountsAsAFailedFetch() {
        // given
        CatalogFetcher fetcher = () -> Json.MAPPER.readTree("{\"detail\":\"Not Found\"}");
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));

        // when
        List<ModelInfo> models = catalog.models();

        // then
        assertThat(ids(models)).containsExactly("fallback");
        assertThat(catalog.status().lastError()).startsWith("IllegalArgumentException: Expected a model catalog");
    }

    @Test
    void afterAFailureTheFetchIsRetriedOnlyOnceTheBackoffHasPassed() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenFailure(new IOException("down")).thenCatalog("a");
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));
        catalog.models();

        // when
        clock.advance(ModelCatalog.FAILURE_BACKOFF.minusSeconds(1));
        List<ModelInfo> duringBackoff = catalog.models();
        clock.advance(Duration.ofSeconds(1));
        List<ModelInfo> afterBackoff = catalog.models();

        // then
        assertThat(ids(duringBackoff)).containsExactly("fallback");
        assertThat(ids(afterBackoff)).containsExactly("a");
        assertThat(fetcher.calls).hasValue(2);
        assertThat(catalog.status().lastError()).isNull();
    }

    @Test
    void anEmptyUpstreamCatalogServesTheFallbackNamesUntilTheTtlPasses() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenCatalog();
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));

        // when
        List<ModelInfo> first = catalog.models();
        List<ModelInfo> second = catalog.models();

        // then
        assertThat(ids(first)).containsExactly("fallback");
        assertThat(ids(second)).containsExactly("fallback");
        assertThat(fetcher.calls).hasValue(1);
        assertThat(catalog.status()).isEqualTo(new CatalogStatus(1, "fallback", START, null));
    }

    @Test
    void findLooksUpAServedModelByExactId() {
        // given
        ModelCatalog catalog = catalog(new ScriptedFetcher().thenCatalog("oca/gpt-4.1", "oca/llama"), List.of());

        // when / then
        assertThat(catalog.find("oca/llama")).map(ModelInfo::id).hasValue("oca/llama");
        assertThat(catalog.find("gpt-4.1")).isEmpty();
    }

    @Test
    void refreshFetchesAtOnceEvenWithinTheTtlAndTheBackoff() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher()
                .thenFailure(new IOException("down")).thenCatalog("a").thenCatalog("b");
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));
        catalog.models();

        // when
        List<ModelInfo> afterFirstRefresh = catalog.refresh();
        List<ModelInfo> afterSecondRefresh = catalog.refresh();

        // then
        assertThat(ids(afterFirstRefresh)).containsExactly("a");
        assertThat(ids(afterSecondRefresh)).containsExactly("b");
        assertThat(fetcher.calls).hasValue(3);
    }

    @Test
    void aFailedRefreshThrowsAndKeepsServingThePreviousCatalog() {
        // given
        ScriptedFetcher fetcher = new ScriptedFetcher().thenCatalog("a").thenFailure(new IOException("down"));
        ModelCatalog catalog = catalog(fetcher, List.of("fallback"));
        catalog.models();

        // when / then
        assertThatThrownBy(catalog::refresh)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Model catalog refresh failed: IOException: down")
                .hasCauseInstanceOf(IOException.class);
        assertThat(ids(catalog.models())).containsExactly("a");
    }

    @Test
    void refreshWithoutAFetcherReturnsTheFallbackNames() {
        // given
        ModelCatalog catalog = catalog(null, List.of("oca/gpt-4.1"));

        // when
        List<ModelInfo> models = catalog.refresh();

        // then
        assertThat(ids(models)).containsExactly("oca/gpt-4.1");
    }

    @Test
    void concurrentFirstCallersShareOneFetchAndAllGetItsCatalog() throws Exception {
        // given
        CountDownLatch fetchStarted = new CountDownLatch(1);
        CountDownLatch releaseFetch = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ModelCatalog catalog = catalog(() -> {
            calls.incrementAndGet();
            fetchStarted.countDown();
            releaseFetch.await();
            return Json.MAPPER.readTree("{\"data\":[{\"id\":\"a\"}]}");
        }, List.of("fallback"));
        Future<List<ModelInfo>> first = threads.submit(catalog::models);
        assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // when
        List<Future<List<ModelInfo>>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(threads.submit(catalog::models));
        }
        releaseFetch.countDown();

        // then
        assertThat(ids(first.get(10, TimeUnit.SECONDS))).containsExactly("a");
        for (Future<List<ModelInfo>> other : others) {
            assertThat(ids(other.get(10, TimeUnit.SECONDS))).containsExactly("a");
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void whileARefetchRunsOtherCallersGetTheStaleCatalogWithoutWaiting() throws Exception {
        // given
        CountDownLatch fetchStarted = new CountDownLatch(1);
        CountDownLatch releaseFetch = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ModelCatalog catalog = catalog(() -> {
            if (calls.incrementAndGet() == 2) {
                fetchStarted.countDown();
                releaseFetch.await();
                return Json.MAPPER.readTree("{\"data\":[{\"id\":\"new\"}]}");
            }
            return Json.MAPPER.readTree("{\"data\":[{\"id\":\"old\"}]}");
        }, List.of("fallback"));
        catalog.models();
        clock.advance(TTL);
        Future<List<ModelInfo>> refetching = threads.submit(catalog::models);
        assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // when
        List<ModelInfo> duringRefetch = catalog.models();
        releaseFetch.countDown();

        // then
        assertThat(ids(duringRefetch)).containsExactly("old");
        assertThat(ids(refetching.get(10, TimeUnit.SECONDS))).containsExactly("new");
        assertThat(calls).hasValue(2);
    }
}
