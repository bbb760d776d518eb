package io.llmgateway.relay;

import io.llmgateway.upstream.RequestFacts;
import io.llmgateway.upstream.SseEvent;
import io.llmgateway.upstream.StreamListener;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamStream;
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
import java.util.concurrent.atomic.AtomicReference;
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
    private final ClientStream client;
    /** Needed until the stream opens, then dropped so the request's objects can be collected. */
    private AsyncResponse async;
    private ContainerRequestContext request;
    private volatile boolean opened;
    private volatile UpstreamStream upstream;
    private volatile IntConsumer finisher;
    /**
     * Who ends the request at the edge (access log, key permit, in-flight count): the client stream, or Jersey
     * writing an error; the first to claim it. A client may leave while the upstream fails, so both may try.
     */
    private final AtomicReference<String> finishedBy = new AtomicReference<>();
    private volatile ScheduledFuture<?> keepAlive;

    /**
     * Call from the resource method, so the client stream registers with the request while its dispatch lasts.
     *
     * @param async   the resource method's suspended response
     * @param servlet the servlet request behind it (already in async mode)
     */
    public SseResponse(AsyncResponse async, ContainerRequestContext request, HttpServletRequest servlet,
            StreamDialect dialect, ScheduledExecutorService scheduler, Duration keepAliveInterval) {
        this.async = async;
        this.request = request;
        this.dialect = dialect;
        this.scheduler = scheduler;
        this.keepAliveInterval = keepAliveInterval;
        this.finisher = edgeFinisher(request);
        this.client = new ClientStream(servlet.getAsyncContext(), this::resumeUpstream, this::cancelUpstream,
                status -> {
                    stopKeepAlive();
                    if (finishedBy.compareAndSet(null, "stream") || "stream".equals(finishedBy.get())) {
                        finisher.accept(status);
                    }
                });
    }

    private static IntConsumer edgeFinisher(ContainerRequestContext request) {
        EdgeHooks edge = (EdgeHooks) request.getProperty(EdgeHooks.PROPERTY);
        return edge == null ? status -> { } : edge.finisher(request);
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
        request.setProperty(RequestFacts.UPSTREAM_LATENCY_MS, stream.latency().toMillis());
        EdgeHooks edge = (EdgeHooks) request.getProperty(EdgeHooks.PROPERTY);
        Map<String, String> headers = new LinkedHashMap<>(STREAM_HEADERS);
        if (edge != null) {
            headers.putAll(edge.headers(request));
            finisher = edge.finisher(request); // again, now with the upstream's latency
        }
        async = null;
        request = null;
        try {
            if (!client.open(headers)) {
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
            AsyncResponse waiting = async;
            if (waiting != null && finishedBy.compareAndSet(null, "jersey")) {
                waiting.resume(dialect.errorResponse(failure)); // the edge's filters finish it
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
