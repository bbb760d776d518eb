package io.llmgateway.relay;

import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.StreamListener;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamStream;
import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Relays one upstream stream to a client without holding a thread: the upstream's callbacks drive the
 * dialect, whose frames go out through a non-blocking {@link ClientStream}. The status is committed only when
 * the upstream answered 2xx; a failure before that answers with the dialect's error instead. A client that
 * leaves cancels the upstream call; a client that falls behind pauses it.
 */
public final class SseResponse implements StreamListener {
    private static final Logger LOG = Logger.getLogger(SseResponse.class.getName());
    private static final Map<String, String> STREAM_HEADERS = Map.of(
            "Content-Type", "text/event-stream; charset=utf-8",
            "Cache-Control", "no-cache",
            "X-Accel-Buffering", "no");

    private final StreamDialect dialect;
    private final ScheduledExecutorService scheduler;
    private final Duration keepAliveInterval;
    private final ClientStream client;
    private final RequestFacts facts;
    private volatile boolean opened;
    private volatile UpstreamStream upstream;
    private volatile ScheduledFuture<?> keepAlive;

    /**
     * Call during the request's own dispatch (in the servlet), so the client stream registers with the request
     * while the container still accepts it.
     *
     * @param async the request's asynchronous context, just started
     * @param facts where the upstream's latency goes for the access log
     */
    public SseResponse(AsyncContext async, RequestFacts facts, StreamDialect dialect, ScheduledExecutorService scheduler,
            Duration keepAliveInterval) {
        this.facts = facts;
        this.dialect = dialect;
        this.scheduler = scheduler;
        this.keepAliveInterval = keepAliveInterval;
        this.client = new ClientStream(async, this::resumeUpstream, this::cancelUpstream, this::stopKeepAlive);
    }

    private void resumeUpstream() {
        UpstreamStream stream = upstream;
        if (stream != null) {
            stream.resume();
        }
    }

    private void cancelUpstream() {
        UpstreamStream stream = upstream;
        if (stream != null) {
            stream.cancel();
        }
    }

    @Override
    public void onOpen(UpstreamStream stream) {
        upstream = stream;
        facts.upstreamLatency(stream.latency());
        try {
            if (!client.open(STREAM_HEADERS)) {
                stream.cancel(); // the client left while the upstream was thinking
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not open the client stream; ending the response", e);
            client.abort(e);
            return;
        }
        opened = true;
        dialect.open(this::send);
        byte[] ping = dialect.keepAlive();
        if (ping != null) {
            long interval = keepAliveInterval.toNanos();
            keepAlive = scheduler.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - client.lastWriteNanos() >= interval) {
                    client.send(ping);
                }
            }, interval, Math.max(interval / 4, 1_000_000), TimeUnit.NANOSECONDS);
            if (client.state() == ClientStream.State.CLOSED || client.state() == ClientStream.State.GONE) {
                stopKeepAlive(); // it ended before the task existed
            }
        }
    }

    private void send(byte[] frame) {
        if (client.send(frame)) {
            upstream.pause();
        }
    }

    @Override
    public void onEvent(SseEvent event) {
        if (!opened) {
            return;
        }
        try {
            if (dialect.onEvent(event, this::send)) {
                client.finish();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Relaying an upstream event failed; ending the stream", e);
            upstream.cancel();
            client.finish();
        }
    }

    @Override
    public void onEnd() {
        if (opened) {
            dialect.onEnd(this::send);
            client.finish();
        }
    }

    @Override
    public void onFailure(UpstreamException failure) {
        if (!opened) {
            client.fail(Reply.of(dialect.errorResponse(failure)));
            return;
        }
        LOG.fine(() -> "Upstream stream failed: " + failure.getMessage());
        dialect.onFailure(failure, this::send);
        client.finish();
    }

    private void stopKeepAlive() {
        ScheduledFuture<?> task = keepAlive;
        if (task != null) {
            task.cancel(false);
        }
    }
}
