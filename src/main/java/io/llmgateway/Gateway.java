package io.llmgateway;

import io.llmgateway.auth.EnvFileTokenStore;
import io.llmgateway.auth.InMemoryTokenStore;
import io.llmgateway.auth.TokenManager;
import io.llmgateway.auth.TokenStore;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.config.Secret;
import io.llmgateway.edge.KeyLimiter;
import io.llmgateway.upstream.CatalogFetcher;
import io.llmgateway.upstream.Endpoints;
import io.llmgateway.upstream.HttpTokenEndpoint;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.ModelCatalog;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.UpstreamClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/** The object graph, built once per deployment: configuration, tokens, the upstream client, models. */
final class Gateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    /** The demo token server accepts any refresh token; this one only makes the flow visible. */
    static final String DEMO_REFRESH_TOKEN = "demo-refresh-token";
    /** What any model name means in demo mode, so Claude Code's claude-* names work out of the box. */
    static final String DEMO_MODEL = "demo-model";

    private final LiveConfig config;
    private final Endpoints endpoints;
    private final ScheduledExecutorService scheduler;
    /** Stream keep-alive pings: short tasks, kept apart from token refreshes, which may block on the network. */
    private final ScheduledExecutorService streamScheduler;
    private final UpstreamClient client;
    private final TokenManager tokens;
    private final LlmUpstream upstream;
    private final Models models;
    private final KeyLimiter keyLimiter;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    Gateway(LiveConfig config, Clock clock, UpstreamClient.Sleeper sleeper, Endpoints endpoints) {
        this.config = config;
        this.endpoints = endpoints;
        GatewayConfig startup = config.current();
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-tokens");
            thread.setDaemon(true);
            return thread;
        });
        this.streamScheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-stream-pings");
            thread.setDaemon(true);
            return thread;
        });
        this.client = new UpstreamClient(config, clock, sleeper);
        TokenStore store = endpoints.demo() ? new InMemoryTokenStore() : new EnvFileTokenStore(startup.envFile());
        HttpTokenEndpoint tokenEndpoint = new HttpTokenEndpoint(client, endpoints::token,
                () -> endpoints.demo() ? "llm-gateway-demo" : config.current().oauthClientId());
        this.tokens = new TokenManager(tokenEndpoint, store,
                () -> endpoints.demo() ? DEMO_REFRESH_TOKEN : reveal(config.current().oauthRefreshTokenSeed()),
                clock, scheduler, endpoints.demo() ? Duration.ZERO : startup.oauthKeepAlive());
        this.upstream = new LlmUpstream(config, endpoints, client, tokens);
        CatalogFetcher fetcher = endpoints.demo() || startup.modelsApiUrl() != null
                ? () -> client.getJson(endpoints.models(), upstream.bearer()) : null;
        this.models = new Models(config, new ModelCatalog(fetcher, clock, startup.modelsCacheTtl(),
                () -> endpoints.demo() ? List.of(DEMO_MODEL) : config.current().modelNames()),
                endpoints.demo() ? DEMO_MODEL : null);
        this.keyLimiter = new KeyLimiter(clock);
        tokens.start();
        LOG.info(() -> endpoints.demo()
                ? "DEMO MODE: LLM_API_URL is not set, so answers come from the built-in SIMULATED model."
                : "Upstream: " + startup.llmApiUrl() + (startup.llmApiKey() != null ? " (static LLM_API_KEY)" : " (OAuth2)"));
    }

    private static String reveal(Secret secret) {
        return secret == null ? null : secret.reveal();
    }

    LiveConfig config() {
        return config;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    ScheduledExecutorService streamScheduler() {
        return streamScheduler;
    }

    /** Requests between the edge's admission and the end of their response body. */
    java.util.concurrent.atomic.AtomicInteger inFlight() {
        return inFlight;
    }

    KeyLimiter keyLimiter() {
        return keyLimiter;
    }

    UpstreamClient client() {
        return client;
    }

    TokenManager tokens() {
        return tokens;
    }

    LlmUpstream upstream() {
        return upstream;
    }

    Models models() {
        return models;
    }

    /** Whether inference can authenticate: a static key, or a token held or obtainable now. */
    boolean ready() {
        if (!endpoints.demo() && config.current().llmApiKey() != null) {
            return true;
        }
        try {
            tokens.accessToken();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        tokens.close();
        scheduler.shutdownNow();
        streamScheduler.shutdownNow();
        client.close();
    }
}
