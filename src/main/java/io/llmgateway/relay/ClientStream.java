package io.llmgateway.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The client's side of a relayed stream, written with servlet non-blocking I/O: frames are queued and written
 * whenever the connection can take them, each followed by a flush (no coalescing), so no thread waits on a
 * slow client. Past {@link #HIGH_WATER} queued bytes the stream reports congestion (the caller pauses the
 * upstream) and calls {@code onDrained} once the queue is empty again. A failed write means the client left:
 * {@code onGone} runs (to cancel the upstream) and the response ends.
 *
 * <p>States: OPEN → FINISHING (no more frames; the queue drains) → CLOSED, or OPEN/FINISHING → GONE. A client
 * that leaves before {@link #open} (while the upstream has not answered yet) makes it GONE at once; an upstream
 * that fails before it answered ends an OPEN stream that never opened with an error reply ({@link #fail}).
 */
final class ClientStream implements WriteListener, AsyncListener {
    enum State { OPEN, FINISHING, CLOSED, GONE }

    static final int HIGH_WATER = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(ClientStream.class.getName());

    private final AsyncContext context;
    private final Runnable onDrained;
    private final Runnable onGone;
    private final Runnable onClosed;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>(4);
    private ServletOutputStream out;
    private volatile State state = State.OPEN;
    private int queuedBytes;
    private boolean congested;
    private boolean flushPending;
    private volatile long lastWriteNanos = System.nanoTime();

    /**
     * Must run during the request's own dispatch (in the resource method): containers may refuse a timeout or
     * a listener once that dispatch has returned (Payara does).
     */
    ClientStream(AsyncContext context, Runnable onDrained, Runnable onGone, Runnable onClosed) {
        this.context = context;
        this.onDrained = onDrained;
        this.onGone = onGone;
        this.onClosed = onClosed;
        context.setTimeout(0); // the stream lasts as long as the upstream's; LLM_REQUEST_TIMEOUT bounds silence
        context.addListener(this);
    }

    /** Commits 200 with the given headers and starts non-blocking writing; false when the client already left. */
    synchronized boolean open(Map<String, String> headers) throws IOException {
        if (state != State.OPEN) {
            return false;
        }
        HttpServletResponse response = (HttpServletResponse) context.getResponse();
        response.setStatus(200);
        headers.forEach(response::setHeader);
        out = response.getOutputStream();
        out.setWriteListener(this);
        return true;
    }

    /** Answers with this reply instead of a stream, unless the stream opened or the client left. */
    synchronized void fail(Reply reply) {
        if (state != State.OPEN || out != null) {
            return;
        }
        try {
            reply.writeTo((HttpServletResponse) context.getResponse()); // small: a blocking write is fine
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "Could not write the error reply: " + e);
        }
        close(State.CLOSED);
    }

    /** Queues one frame; returns true when the client is behind and the upstream should pause. */
    synchronized boolean send(byte[] frame) {
        if (state != State.OPEN) {
            return false;
        }
        queue.add(frame);
        queuedBytes += frame.length;
        drain();
        if (queuedBytes > HIGH_WATER) {
            congested = true;
        }
        return congested;
    }

    /** No more frames: the response ends once the queue is written. */
    synchronized void finish() {
        if (state == State.OPEN) {
            state = State.FINISHING;
            drain();
        }
    }

    State state() {
        return state;
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    @Override
    public synchronized void onWritePossible() {
        drain();
    }

    private void drain() {
        if (out == null || state == State.CLOSED || state == State.GONE) {
            return;
        }
        try {
            while (out.isReady()) {
                if (flushPending) {
                    flushPending = false;
                    out.flush();
                    lastWriteNanos = System.nanoTime();
                    continue;
                }
                byte[] frame = queue.poll();
                if (frame == null) {
                    if (state == State.FINISHING) {
                        close(State.CLOSED);
                    } else if (congested) {
                        congested = false;
                        onDrained.run();
                    }
                    return;
                }
                queuedBytes -= frame.length;
                out.write(frame);
                flushPending = true;
            }
        } catch (IOException | IllegalStateException e) {
            gone(e);
        }
    }

    /** Ends the response because the relay cannot go on (the client is not told why). */
    synchronized void abort(Throwable cause) {
        gone(cause);
    }

    private void gone(Throwable cause) {
        if (state == State.CLOSED || state == State.GONE) {
            return;
        }
        LOG.fine(() -> "Client disconnected mid-stream (" + cause + "); aborting the upstream call");
        queue.clear();
        onGone.run();
        close(State.GONE);
    }

    private void close(State end) {
        state = end;
        try {
            context.complete();
        } catch (IllegalStateException e) {
            LOG.fine(() -> "Response already completed: " + e.getMessage());
        }
        onClosed.run();
    }

    @Override
    public synchronized void onError(Throwable cause) {
        gone(cause);
    }

    @Override
    public synchronized void onError(AsyncEvent event) {
        gone(event.getThrowable());
    }

    @Override
    public synchronized void onTimeout(AsyncEvent event) {
        gone(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // our own complete()
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
