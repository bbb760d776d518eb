package io.llmgateway.langchain4j;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.demo.DemoSettings;
import io.llmgateway.demo.DemoUpstreamServer;
import io.llmgateway.upstream.ConfiguredEndpoints;
import io.llmgateway.upstream.Endpoints;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.UpstreamClient;
import io.llmgateway.upstream.UpstreamStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to the protected model, shared by any number of {@link GatewayChatModel}s and
 * {@link GatewayStreamingChatModel}s in a JVM: the OAuth2 token manager (refresh, rotation written back to the
 * {@code .env} file, keep-alive), the HTTP client with the gateway's proxy and TLS rules, and the model catalog.
 * Configured exactly like the gateway: the same keys, from system properties, {@link Builder#property values set
 * in code}, the environment and the {@code .env} file named by {@code GATEWAY_ENV_FILE}, highest first.
 *
 * <p>With no {@code LLM_API_URL} it starts the built-in <b>simulated</b> upstream on a loopback port (demo mode),
 * so everything runs out of the box; the log says so. Close it when the application stops.
 *
 * <pre>{@code
 * GatewayUpstream upstream = GatewayUpstream.fromEnv();
 * ChatModel chat = GatewayChatModel.builder().upstream(upstream).build();
 * StreamingChatModel streaming = GatewayStreamingChatModel.builder().upstream(upstream).build();
 * }</pre>
 */
public final class GatewayUpstream implements AutoCloseable {
    private static GatewayUpstream shared; // guarded by GatewayUpstream.class

    private final UpstreamStack stack;
    private final DemoUpstreamServer demo;
    private final ExecutorService streams;
    private volatile boolean closed;

    private GatewayUpstream(UpstreamStack stack, DemoUpstreamServer demo) {
        this.stack = stack;
        this.demo = demo;
        AtomicInteger serial = new AtomicInteger();
        this.streams = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-langchain4j-stream-" + serial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A new connection configured from system properties, the environment and the {@code .env} file. */
    public static GatewayUpstream fromEnv() {
        return builder().build();
    }

    /**
     * The JVM-wide connection configured from the environment, created on first use: what models built without
     * {@link GatewayChatModel.Builder#upstream an upstream of their own} share, so they refresh one token.
     */
    public static synchronized GatewayUpstream shared() {
        if (shared == null || shared.closed) {
            shared = fromEnv();
        }
        return shared;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when answers come from the built-in simulated upstream ({@code LLM_API_URL} is not set). */
    public boolean demo() {
        return stack.endpoints().demo();
    }

    UpstreamStack stack() {
        return stack;
    }

    GatewayConfig config() {
        return stack.config().current();
    }

    Models models() {
        return stack.models();
    }

    void stream(Runnable call) {
        streams.execute(call);
    }

    /** Stops token keep-alive, closes pooled connections and, in demo mode, the simulated upstream. */
    @Override
    public void close() {
        closed = true;
        streams.shutdownNow();
        stack.close();
        if (demo != null) {
            demo.close();
        }
    }

    @Override
    public String toString() {
        return "GatewayUpstream[" + (demo() ? "demo" : "upstream=" + config().llmApiUrl()) + ", tokens=" + stack.tokens()
                + (closed ? ", closed" : "") + "]";
    }

    /**
     * Configuration in code. Values are the gateway's keys ({@code LLM_API_URL}, {@code OAUTH_HOST}, ...); they
     * rank below system properties and above the environment and the {@code .env} file, as servlet context
     * parameters do for the gateway.
     */
    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private UpstreamClient.Sleeper sleeper = UpstreamClient.Sleeper.REAL;
        private DemoSettings demoSettings = DemoSettings.defaults();

        private Builder() {
        }

        /** Any configuration key of the gateway, e.g. {@code property("LLM_REQUEST_TIMEOUT", "60")}. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** {@code GATEWAY_ENV_FILE}: the {@code .env} file read for configuration and written with rotated tokens. */
        public Builder envFile(Path file) {
            return property(LiveConfig.ENV_FILE_KEY, file.toString());
        }

        /** {@code LLM_API_URL}: the upstream's full chat completions URL. */
        public Builder apiUrl(String url) {
            return property("LLM_API_URL", url);
        }

        /** {@code LLM_API_KEY}: a static bearer used instead of OAuth2. */
        public Builder apiKey(String key) {
            return property("LLM_API_KEY", key);
        }

        /** {@code OAUTH_HOST}: the authorization server; the token URL is {@code https://{host}/oauth2/v1/token}. */
        public Builder oauthHost(String host) {
            return property("OAUTH_HOST", host);
        }

        /** {@code OAUTH_TOKEN_URL}: a full token URL, instead of {@link #oauthHost}. */
        public Builder oauthTokenUrl(String url) {
            return property("OAUTH_TOKEN_URL", url);
        }

        /** {@code OAUTH_CLIENT_ID}. */
        public Builder clientId(String clientId) {
            return property("OAUTH_CLIENT_ID", clientId);
        }

        /** {@code OAUTH_REFRESH_TOKEN}: the seed; rotated tokens are saved to the {@code .env} file. */
        public Builder refreshToken(String refreshToken) {
            return property("OAUTH_REFRESH_TOKEN", refreshToken);
        }

        /** {@code LLM_MODEL_NAME}: the default model. */
        public Builder modelName(String modelName) {
            return property("LLM_MODEL_NAME", modelName);
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        Builder sleeper(UpstreamClient.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        Builder demoSettings(DemoSettings settings) {
            this.demoSettings = settings;
            return this;
        }

        /**
         * Reads the configuration (an invalid value fails here, naming the key) and connects lazily: the first
         * token is fetched by the first request.
         */
        public GatewayUpstream build() {
            LiveConfig config = LiveConfig.load(properties);
            Models.validateAliases(config.current());
            DemoUpstreamServer demo = config.current().demoMode() ? DemoUpstreamServer.start(demoSettings) : null;
            Endpoints endpoints = demo == null ? new ConfiguredEndpoints(config) : new DemoServerEndpoints(demo.base());
            try {
                return new GatewayUpstream(new UpstreamStack(config, clock, sleeper, endpoints), demo);
            } catch (RuntimeException e) {
                if (demo != null) {
                    demo.close();
                }
                throw e;
            }
        }
    }

    /** The in-process simulator's routes. */
    private record DemoServerEndpoints(URI base) implements Endpoints {
        @Override
        public URI chatCompletions() {
            return base.resolve("v1/chat/completions");
        }

        @Override
        public URI models() {
            return base.resolve("v1/models");
        }

        @Override
        public URI token() {
            return base.resolve("oauth2/v1/token");
        }

        @Override
        public boolean demo() {
            return true;
        }
    }
}
