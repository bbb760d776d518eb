package io.llmgateway.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One non-blocking streamed inference call: decodes the upstream's SSE bytes as they arrive and hands events to
 * its {@link StreamListener}. An error status is collected whole and reported as an {@link UpstreamException};
 * a failure before any answer goes to {@code beforeAnswer} (which may try another route). Reading is paced by
 * a capacity window, so a paused stream holds at most one window of upstream bytes.
 */
final class SseExchange implements AsyncResponseConsumer<Void>, FutureCallback<Void>, UpstreamStream {
    private static final int WINDOW = 64 * 1024;
    private static final int MAX_ERROR_BODY = 1 << 20;
    private static final String[] FRAMING = {"Transfer-Encoding", "Content-Length", "Connection", "Keep-Alive"};
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);

    private final StreamListener listener;
    private final Consumer<Exception> beforeAnswer;
    private final Clock clock;
    private final Instant start;
    private final SseDecoder decoder = new SseDecoder(SseReader.DEFAULT_MAX_LINE_BYTES);
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Future<?> call;
    private volatile boolean answered;
    private volatile boolean cancelled;
    private Duration latency;
    /** Set for an error answer: its status, relayed headers and body so far. */
    private int errorStatus;
    private Map<String, String> errorHeaders;
    private ByteArrayOutputStream errorBody;

    private CapacityChannel capacity;
    private boolean paused;
    /** The window ran out while paused: resuming must grant a new one. */
    private boolean starved;

    SseExchange(StreamListener listener, Consumer<Exception> beforeAnswer, Clock clock) {
        this.listener = listener;
        this.beforeAnswer = beforeAnswer;
        this.clock = clock;
        this.start = clock.instant();
    }

    void started(Future<?> call) {
        this.call = call;
        if (settled.get()) {
            call.cancel(true);
        }
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
            FutureCallback<Void> done) {
        answered = true;
        latency = Duration.between(start, clock.instant());
        int status = response.getCode();
        if (status / 100 != 2) {
            errorStatus = status;
            errorHeaders = new HashMap<>();
            for (Header header : response.getHeaders()) {
                String name = header.getName().toLowerCase(Locale.ROOT);
                if (UpstreamClient.RELAYED_HEADERS.contains(name)) {
                    errorHeaders.putIfAbsent(name, header.getValue());
                }
            }
            errorBody = new ByteArrayOutputStream();
        } else if (!settled.get()) {
            keepOnlyFraming(response);
            listener.onOpen(this);
        }
        if (entity == null) {
            streamEnd(List.of());
        }
    }

    /**
     * Apache holds the response head for the whole stream, each header with the line it was parsed from, and a
     * hosted model's answer carries twenty-odd of them. Nothing reads a streamed answer's headers again. Apache
     * 5.3 decides connection reuse from the head before handing it over; the headers that decide it stay anyway,
     * for a version that decides at the end of the body.
     */
    private static void keepOnlyFraming(HttpResponse response) {
        Header[] headers = response.getHeaders();
        int kept = 0;
        for (Header header : headers) {
            if (isFraming(header.getName())) {
                headers[kept++] = header;
            }
        }
        if (kept < headers.length) {
            response.setHeaders(Arrays.copyOf(headers, kept));
        }
    }

    private static boolean isFraming(String name) {
        for (String framing : FRAMING) {
            if (framing.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx answers carry nothing for us
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        synchronized (this) {
            capacity = channel;
            if (paused) {
                starved = true;
                return;
            }
        }
        channel.update(WINDOW);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (cancelled) {
            // Apache would otherwise read the abandoned answer to its end; failing here closes the connection,
            // which is what tells the model to stop generating.
            throw new IOException("stream cancelled by the gateway");
        }
        int length = src.remaining();
        if (settled.get()) {
            src.position(src.limit());
            return;
        }
        if (errorBody != null) {
            if (errorBody.size() < MAX_ERROR_BODY) {
                byte[] bytes = new byte[Math.min(length, MAX_ERROR_BODY - errorBody.size())];
                src.get(bytes);
                errorBody.writeBytes(bytes);
            }
            src.position(src.limit());
            return;
        }
        try {
            if (src.hasArray()) {
                decoder.feed(src.array(), src.arrayOffset() + src.position(), length, this::deliver);
                src.position(src.limit());
            } else {
                byte[] scratch = SCRATCH.get();
                while (src.hasRemaining()) {
                    int n = Math.min(scratch.length, src.remaining());
                    src.get(scratch, 0, n);
                    decoder.feed(scratch, 0, n, this::deliver);
                }
            }
        } catch (IOException e) {
            failed(e);
            cancel();
            throw e;
        }
    }

    private void deliver(SseEvent event) {
        if (!settled.get()) {
            listener.onEvent(event);
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        if (errorBody != null) {
            listener.onFailure(UpstreamException.status(errorStatus, Map.copyOf(errorHeaders), errorBody.toByteArray()));
        } else {
            listener.onEnd();
        }
    }

    @Override
    public void failed(Exception cause) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        if (!answered) {
            beforeAnswer.accept(cause);
        } else if (isTimeout(cause)) {
            listener.onFailure(UpstreamException.timeout("The upstream went silent mid-stream", cause));
        } else {
            listener.onFailure(UpstreamException.unreachable(String.valueOf(cause.getMessage()), cause));
        }
    }

    private static boolean isTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void completed(Void result) {
        // streamEnd has reported it
    }

    @Override
    public void cancelled() {
        settled.set(true);
    }

    @Override
    public void releaseResources() {
        errorBody = null;
    }

    @Override
    public Duration latency() {
        return latency;
    }

    @Override
    public void pause() {
        synchronized (this) {
            paused = true;
        }
    }

    @Override
    public void resume() {
        CapacityChannel grant;
        synchronized (this) {
            paused = false;
            grant = starved ? capacity : null;
            starved = false;
        }
        if (grant != null) {
            try {
                grant.update(WINDOW);
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    @Override
    public void cancel() {
        settled.set(true);
        cancelled = true;
        resume(); // a paused stream must read again to reach the failure in consume()
        Future<?> running = call;
        if (running != null) {
            running.cancel(true);
        }
    }
}
