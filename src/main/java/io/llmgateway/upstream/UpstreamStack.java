package io.llmgateway.upstream;

import io.llmgateway.auth.EnvFileTokenStore;
import io.llmgateway.auth.InMemoryTokenStore;
import io.llmgateway.auth.TokenManager;
import io.llmgateway.auth.TokenStore;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * Everything between a caller and the model, built once from the configuration: the HTTP client, the token
 * manager over its store, the model endpoint and the model catalog. The gateway's dialects and the in-process
 * LangChain4j models each build one and share it among all their requests.
 */
public final class UpstreamStack implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UpstreamStack.class.getName());
    /** The demo token server accepts any refresh token; this one only makes the flow visible. */
    public static final String DEMO_REFRESH_TOKEN = "demo-refresh-token";
    /** What any model name means in demo mode, so Claude Code's claude-* names work out of the box. */
    public static final String DEMO_MODEL = "demo-model";
    private static final String DEMO_CLIENT_ID = "llm-gateway-demo";

    private final LiveConfig config;
    private final Endpoints endpoints;
    private final ScheduledExecutorService scheduler;
    private final UpstreamClient client;
    private final TokenManager tokens;
    private final LlmUpstream upstream;
    private final Models models;

    public UpstreamStack(LiveConfig config, Clock clock, UpstreamClient.Sleeper sleeper, Endpoints endpoints) {
        this.config = config;
        this.endpoints = endpoints;
        GatewayConfig startup = config.current();
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-tokens");
            thread.setDaemon(true);
            return thread;
        });
        this.client = new UpstreamClient(config, clock, sleeper);
        TokenStore store = endpoints.demo() ? new InMemoryTokenStore() : new EnvFileTokenStore(startup.envFile());
        HttpTokenEndpoint tokenEndpoint = new HttpTokenEndpoint(client, endpoints::token,
                () -> endpoints.demo() ? DEMO_CLIENT_ID : config.current().oauthClientId());
        this.tokens = new TokenManager(tokenEndpoint, store,
                () -> endpoints.demo() ? DEMO_REFRESH_TOKEN : reveal(config.current().oauthRefreshTokenSeed()),
                clock, scheduler, endpoints.demo() ? Duration.ZERO : startup.oauthKeepAlive());
        tokens.keepAliveOnlyWhile(() -> config.current().llmApiKey() == null);
        this.upstream = new LlmUpstream(config, endpoints, client, tokens);
        CatalogFetcher fetcher = endpoints.demo() || startup.modelsApiUrl() != null
                ? () -> client.getJson(endpoints.models(), upstream.bearer()) : null;
        this.models = new Models(config, new ModelCatalog(fetcher, clock, startup.modelsCacheTtl(),
                () -> endpoints.demo() ? List.of(DEMO_MODEL) : config.current().modelNames()),
                endpoints.demo() ? DEMO_MODEL : null);
        tokens.start();
        LOG.info(() -> endpoints.demo()
                ? "DEMO MODE: LLM_API_URL is not set, so answers come from the built-in SIMULATED model."
                : "Upstream: " + startup.llmApiUrl() + (startup.llmApiKey() != null ? " (static LLM_API_KEY)" : " (OAuth2)"));
    }

    private static String reveal(Secret secret) {
        return secret == null ? null : secret.reveal();
    }

    public LiveConfig config() {
        return config;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public UpstreamClient client() {
        return client;
    }

    public TokenManager tokens() {
        return tokens;
    }

    public LlmUpstream upstream() {
        return upstream;
    }

    public Models models() {
        return models;
    }

    /** Whether inference can authenticate: a static key, or a token held or obtainable now. */
    public boolean ready() {
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
        client.close();
    }

    @Override
    public String toString() {
        return "UpstreamStack[demo=" + endpoints.demo() + ", tokens=" + tokens + "]";
    }
}
