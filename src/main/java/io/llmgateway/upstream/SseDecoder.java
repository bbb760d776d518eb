package io.llmgateway.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes a {@code text/event-stream} pushed to it in pieces of any size, exactly as the WHATWG HTML spec's
 * "event stream interpretation" does, minus {@code retry} (a relay has no reconnection to schedule).
 *
 * <p>Lines are split on the bytes CR and LF only and decoded afterwards: in UTF-8 those bytes never occur
 * inside a multi-byte character, so characters split across pieces survive and U+2028/U+2029 stay data.
 * Lines inside one piece are parsed in place; only a line spanning pieces is copied, into a buffer dropped once
 * the line ends. A data line is decoded as it completes (a line never splits a UTF-8 character), and an event
 * of one data line, as every OpenAI chunk is, becomes that line's string, so between events a stream holds no
 * buffer at all: thousands of open streams are mostly idle. Not thread-safe: one decoder per stream, fed by
 * one thread at a time.
 */
public final class SseDecoder {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] ID = {'i', 'd'};
    private static final byte[] EMPTY = new byte[0];

    private final int maxLineBytes;
    /** The previous line ended with CR, so an LF that follows (possibly in the next piece) is part of it. */
    private boolean skipLf;
    private boolean atStart = true;
    /** The start of a line that spans pieces. */
    private byte[] carry = EMPTY;
    private int carried;

    /** The event's data so far: its first line, then (for an event of several lines) all of them. */
    private String firstData;
    private StringBuilder moreData;
    /** Bytes of data so far, counting the LF that ends each line. */
    private int dataLen;
    private String eventType;
    private String lastEventId;

    /** @param maxLineBytes longest accepted line, and largest accepted data of one event, in bytes */
    public SseDecoder(int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Decodes the next piece of the stream, handing each dispatched event to {@code events} in order. Events
     * still incomplete at the end of the stream are never dispatched, as the spec requires.
     *
     * @throws IOException when a line or an event's data exceeds the limit; events before it were dispatched
     */
    public void feed(byte[] b, int off, int len, Consumer<SseEvent> events) throws IOException {
        int pos = off;
        int limit = off + len;
        while (pos < limit) {
            if (skipLf) {
                skipLf = false;
                if (b[pos] == LF) {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            int end = start;
            while (end < limit && b[end] != LF && b[end] != CR) {
                end++;
            }
            // Compared as a difference: carried never exceeds the limit, so this cannot overflow.
            if (end - start > maxLineBytes - carried) {
                throw new IOException("SSE line longer than " + maxLineBytes + " bytes; refusing to buffer it");
            }
            if (carried > 0 || end == limit) {
                carry = ensureCapacity(carry, carried + end - start);
                System.arraycopy(b, start, carry, carried, end - start);
                carried += end - start;
            }
            if (end == limit) {
                return;
            }
            skipLf = b[end] == CR;
            pos = end + 1;
            SseEvent event;
            if (carried > 0) {
                int length = carried;
                carried = 0;
                byte[] line = carry;
                carry = EMPTY;
                event = processLine(line, 0, length);
            } else {
                event = processLine(b, start, end - start);
            }
            if (event != null) {
                events.accept(event);
            }
        }
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
        String line = new String(b, off, len, StandardCharsets.UTF_8);
        if (dataLen == 0) {
            firstData = line;
        } else {
            if (moreData == null) {
                moreData = new StringBuilder(firstData);
            }
            moreData.append('\n').append(line);
        }
        dataLen += len + 1;
    }

    private SseEvent dispatch() {
        String type = eventType;
        eventType = null;
        if (dataLen == 0) {
            return null;
        }
        String text = moreData == null ? firstData : moreData.toString();
        firstData = null;
        moreData = null;
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
