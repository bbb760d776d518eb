package io.llmgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Reads a {@code text/event-stream} from a blocking {@link InputStream}, one event per {@link #next()}; the
 * parsing itself is {@link SseDecoder}'s. Not thread-safe: one reader per stream.
 */
public final class SseReader implements AutoCloseable {
    /** Large enough for any realistic event (a whole tool-call argument block), small enough to bound memory. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

    private final InputStream in;
    private final SseDecoder decoder;
    private final byte[] buf = new byte[8192];
    private final ArrayDeque<SseEvent> ready = new ArrayDeque<>();
    /** A limit the decoder hit; thrown once the events before it have been returned. */
    private IOException failure;
    private boolean eof;

    public SseReader(InputStream in) {
        this(in, DEFAULT_MAX_LINE_BYTES);
    }

    /** @param maxLineBytes longest accepted line, and largest accepted data of one event, in bytes */
    public SseReader(InputStream in, int maxLineBytes) {
        this.decoder = new SseDecoder(maxLineBytes);
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * The next dispatched event, or null at the end of the stream. An event not terminated by a blank line
     * before the end is discarded, as the spec requires.
     *
     * @throws IOException from the stream, or when a line or an event's data exceeds the configured limit
     */
    public SseEvent next() throws IOException {
        while (ready.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (eof) {
                return null;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
            } else {
                try {
                    decoder.feed(buf, 0, n, ready::add);
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        return ready.poll();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
