package io.llmgateway.relay;

import io.llmgateway.upstream.RequestFacts;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.StreamListener;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Relays one upstream stream to a client without holding a thread: the upstream's callbacks drive the
 * dialect, whose frames go out through a non-blocking {@link ClientStream}. The status is committed only when
 * the upstream answered 2xx; a failure before that resumes the suspended JAX-RS response with the dialect's
 * error, so the normal error path (and the edge's filters) apply. A client that leaves cancels the upstream
 * call; a client that falls behind pauses it.
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
    /** Needed until the stream opens, then dropped so the request's objects can be collected. */
    private AsyncResponse async;
    private ContainerRequestContext request;
    private AsyncContext context;
    private volatile ClientStream client;
    private UpstreamStream upstream;
    private volatile ScheduledFuture<?> keepAlive;

    /**
     * @param async   the resource method's suspended response
     * @param servlet the servlet request behind it (already in async mode)
     */
    public SseResponse(AsyncResponse async, ContainerRequestContext request, HttpServletRequest servlet,
            StreamDialect dialect, ScheduledExecutorService scheduler, Duration keepAliveInterval) {
        this.async = async;
        this.request = request;
        this.context = servlet.getAsyncContext();
        this.dialect = dialect;
        this.scheduler = scheduler;
        this.keepAliveInterval = keepAliveInterval;
    }

    @Override
    public void onOpen(UpstreamStream stream) {
        upstream = stream;
        request.setProperty(RequestFacts.UPSTREAM_LATENCY_MS, stream.latency().toMillis());
        EdgeHooks edge = (EdgeHooks) request.getProperty(EdgeHooks.PROPERTY);
        Map<String, String> headers = new LinkedHashMap<>(STREAM_HEADERS);
        IntConsumer finisher = status -> { };
        if (edge != null) {
            headers.putAll(edge.headers(request));
            finisher = edge.finisher(request);
        }
        IntConsumer closed = finisher;
        ClientStream opened = new ClientStream(context, stream::resume, stream::cancel, status -> {
            stopKeepAlive();
            closed.accept(status);
        });
        async = null;
        request = null;
        context = null;
        try {
            opened.open(headers);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not open the client stream", e);
            stream.cancel();
            return;
        }
        client = opened;
        dialect.open(this::send);
        byte[] ping = dialect.keepAlive();
        if (ping != null) {
            long interval = keepAliveInterval.toNanos();
            keepAlive = scheduler.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - opened.lastWriteNanos() >= interval) {
                    opened.send(ping);
                }
            }, interval, Math.max(interval / 4, 1_000_000), TimeUnit.NANOSECONDS);
            if (opened.state() == ClientStream.State.CLOSED || opened.state() == ClientStream.State.GONE) {
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
        if (client == null) {
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
        if (client != null) {
            dialect.onEnd(this::send);
            client.finish();
        }
    }

    @Override
    public void onFailure(UpstreamException failure) {
        if (client == null) {
            if (async != null) {
                async.resume(dialect.errorResponse(failure));
            }
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
