package io.llmgateway;

import io.llmgateway.auth.TokenManager;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.edge.KeyLimiter;
import io.llmgateway.upstream.Endpoints;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.UpstreamClient;
import io.llmgateway.upstream.UpstreamStack;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The object graph, built once per deployment: the {@link UpstreamStack} (configuration, tokens, the upstream
 * client, models) plus what only the HTTP edge needs.
 */
final class Gateway implements AutoCloseable {

    private final UpstreamStack stack;
    /** Stream keep-alive pings: short tasks, kept apart from token refreshes, which may block on the network. */
    private final ScheduledExecutorService streamScheduler;
    private final KeyLimiter keyLimiter;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    Gateway(LiveConfig config, Clock clock, UpstreamClient.Sleeper sleeper, Endpoints endpoints) {
        this.streamScheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-stream-pings");
            thread.setDaemon(true);
            return thread;
        });
        this.stack = new UpstreamStack(config, clock, sleeper, endpoints);
        this.keyLimiter = new KeyLimiter(clock);
    }

    LiveConfig config() {
        return stack.config();
    }

    Endpoints endpoints() {
        return stack.endpoints();
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
        return stack.client();
    }

    TokenManager tokens() {
        return stack.tokens();
    }

    LlmUpstream upstream() {
        return stack.upstream();
    }

    Models models() {
        return stack.models();
    }

    /** Whether inference can authenticate: a static key, or a token held or obtainable now. */
    boolean ready() {
        return stack.ready();
    }

    @Override
    public void close() {
        stack.close();
        streamScheduler.shutdownNow();
    }
}
