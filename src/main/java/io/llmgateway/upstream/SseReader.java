package io.llmgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Parses a {@code text/event-stream} exactly as the WHATWG HTML spec's "event stream interpretation" does,
 * minus {@code retry} (a relay has no reconnection to schedule).
 *
 * <p>Lines are split on the bytes CR and LF only and decoded afterwards: in UTF-8 those bytes never occur
 * inside a multi-byte character, so characters split across reads survive and U+2028/U+2029 stay data.
 * Lines that fit in the read buffer are parsed in place; only lines spanning reads are copied. One event's
 * data is decoded once, at dispatch. Not thread-safe: one reader per stream.
 */
public final class SseReader implements AutoCloseable {
    /** Large enough for any realistic event (a whole tool-call argument block), small enough to bound memory. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] ID = {'i', 'd'};

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private boolean eof;
    /** The previous line ended with CR, so an LF that follows (possibly in the next read) is part of it. */
    private boolean skipLf;
    private boolean atStart = true;

    /** Holds a line that spans reads; {@link #lineBytes}/{@link #lineOff} point either here or into buf. */
    private byte[] carry = new byte[256];
    private byte[] lineBytes;
    private int lineOff;
    private int lineLen;

    private byte[] data = new byte[1024];
    private int dataLen;
    private String eventType;
    private String lastEventId;

    public SseReader(InputStream in) {
        this(in, DEFAULT_MAX_LINE_BYTES);
    }

    /** @param maxLineBytes longest accepted line, and largest accepted data of one event, in bytes */
    public SseReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next dispatched event, or null at the end of the stream. An event not terminated by a blank line
     * before the end is discarded, as the spec requires.
     *
     * @throws IOException from the stream, or when a line or an event's data exceeds the configured limit
     */
    public SseEvent next() throws IOException {
        while (readLine()) {
            SseEvent event = processLine(lineBytes, lineOff, lineLen);
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Points lineBytes/lineOff/lineLen at the next complete line; false at end of stream. */
    private boolean readLine() throws IOException {
        int carried = 0;
        while (true) {
            if (pos == limit && !fill()) {
                return false;
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == LF) {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            int end = start;
            while (end < limit && buf[end] != LF && buf[end] != CR) {
                end++;
            }
            // Compared as a difference: carried never exceeds the limit, so this cannot overflow.
            if (end - start > maxLineBytes - carried) {
                throw new IOException("SSE line longer than " + maxLineBytes + " bytes; refusing to buffer it");
            }
            int length = carried + end - start;
            boolean complete = end < limit;
            if (carried > 0 || !complete) {
                carry = ensureCapacity(carry, length);
                System.arraycopy(buf, start, carry, carried, end - start);
            }
            if (!complete) {
                carried = length;
                pos = limit;
                continue;
            }
            skipLf = buf[end] == CR;
            pos = end + 1;
            lineBytes = carried > 0 ? carry : buf;
            lineOff = carried > 0 ? 0 : start;
            lineLen = length;
            return true;
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private SseEvent processLine(byte[] b, int off, int len) throws IOException {
        if (atStart) {
            atStart = false;
            if (len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
                off += 3;
                len -= 3;
            }
        }
        if (len == 0) {
            return dispatch();
        }
        if (b[off] == ':') {
            return null;
        }
        int end = off + len;
        int colon = off;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int valueOff = colon < end ? colon + 1 : end;
        if (valueOff < end && b[valueOff] == ' ') {
            valueOff++;
        }
        int valueLen = end - valueOff;
        int nameLen = colon - off;
        if (is(DATA, b, off, nameLen)) {
            appendData(b, valueOff, valueLen);
        } else if (is(EVENT, b, off, nameLen)) {
            eventType = valueLen == 0 ? null : new String(b, valueOff, valueLen, StandardCharsets.UTF_8);
        } else if (is(ID, b, off, nameLen) && !containsNul(b, valueOff, valueLen)) {
            lastEventId = valueLen == 0 ? null : new String(b, valueOff, valueLen, StandardCharsets.UTF_8);
        }
        return null;
    }

    private void appendData(byte[] b, int off, int len) throws IOException {
        if (len >= maxLineBytes - dataLen) {
            throw new IOException("SSE event data longer than " + maxLineBytes + " bytes; refusing to buffer it");
        }
        int newLen = dataLen + len + 1;
        data = ensureCapacity(data, newLen);
        System.arraycopy(b, off, data, dataLen, len);
        data[newLen - 1] = LF;
        dataLen = newLen;
    }

    private SseEvent dispatch() {
        String type = eventType;
        eventType = null;
        if (dataLen == 0) {
            return null;
        }
        // Drop the LF that follows the last data line.
        String text = new String(data, 0, dataLen - 1, StandardCharsets.UTF_8);
        dataLen = 0;
        return new SseEvent(type, text, lastEventId);
    }

    private static boolean is(byte[] name, byte[] b, int off, int len) {
        return len == name.length && Arrays.equals(name, 0, len, b, off, off + len);
    }

    private static boolean containsNul(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Doubles, but never past the limit: callers have already rejected anything larger. */
    private byte[] ensureCapacity(byte[] array, int needed) {
        if (needed <= array.length) {
            return array;
        }
        return Arrays.copyOf(array, (int) Math.max(needed, Math.min(maxLineBytes, 2L * array.length)));
    }
}
