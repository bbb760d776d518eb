package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.SseReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Drives one Anthropic stream: upstream OpenAI events in, translated Anthropic frames out, each flushed on
 * its own. While the upstream is silent a {@code ping} goes out every ping interval; that write is also how a
 * client that hung up during a long silence is noticed, and then the upstream call is aborted at once.
 */
final class AnthropicStreamRelay {
    private static final Logger LOG = Logger.getLogger(AnthropicStreamRelay.class.getName());

    private final SseReader upstream;
    private final OutputStream client;
    private final AnthropicStreamTranslator translator;
    private final Runnable abortUpstream;
    private final Object writeLock = new Object();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean clientGone;
    /** Set by the relay thread once the final frame is out; the translator itself is confined to that thread. */
    private volatile boolean done;

    AnthropicStreamRelay(SseReader upstream, OutputStream client, AnthropicStreamTranslator translator,
            Runnable abortUpstream) {
        this.upstream = upstream;
        this.client = client;
        this.translator = translator;
        this.abortUpstream = abortUpstream;
    }

    /** Relays to the end; returns false when the client went away first. */
    boolean run(ScheduledExecutorService scheduler, Duration pingInterval) {
        if (!write(translator.start())) {
            return false;
        }
        long intervalNanos = pingInterval.toNanos();
        ScheduledFuture<?> pings = scheduler.scheduleAtFixedRate(() -> pingIfSilent(intervalNanos),
                intervalNanos, Math.max(intervalNanos / 4, 1_000_000), TimeUnit.NANOSECONDS);
        try {
            return relay();
        } finally {
            done = true;
            pings.cancel(false);
        }
    }

    private boolean relay() {
        while (true) {
            SseEvent event;
            try {
                event = upstream.next();
            } catch (IOException e) {
                if (clientGone) {
                    return false;
                }
                LOG.fine(() -> "Upstream stream failed: " + e);
                return write(e instanceof SocketTimeoutException
                        ? translator.onFailure("timeout_error",
                                "The upstream model stopped sending for longer than LLM_REQUEST_TIMEOUT")
                        : translator.onFailure("api_error", "The upstream connection failed mid-stream: " + e.getMessage()));
            }
            if (event == null || "[DONE]".equals(event.data())) {
                return write(translator.onEnd());
            }
            JsonNode chunk;
            try {
                chunk = Json.MAPPER.readTree(event.data());
            } catch (IOException e) {
                LOG.fine("Skipping an upstream event that is not JSON");
                continue;
            }
            if (!write(translator.onChunk(chunk))) {
                return false;
            }
            if (translator.state() == AnthropicStreamTranslator.State.FINISHED) {
                return true;
            }
        }
    }

    private void pingIfSilent(long intervalNanos) {
        if (System.nanoTime() - lastWriteNanos >= intervalNanos && !done) {
            write(List.of(translator.ping()));
        }
    }

    private boolean write(List<AnthropicStreamEvent> events) {
        if (events.isEmpty()) {
            return !clientGone;
        }
        synchronized (writeLock) {
            if (clientGone) {
                return false;
            }
            try {
                for (AnthropicStreamEvent event : events) {
                    client.write(event.toSse());
                }
                client.flush();
                lastWriteNanos = System.nanoTime();
                return true;
            } catch (IOException e) {
                clientGone = true;
                LOG.fine("Client disconnected mid-stream; aborting the upstream call");
                abortUpstream.run();
                return false;
            }
        }
    }
}
