package io.llmgateway.upstream;

import java.nio.charset.StandardCharsets;

/** Writes server-sent events for clients, in the form {@link SseReader} (and every browser) reads back. */
public final class SseFrames {
    /**
     * A comment frame: clients ignore it, but it keeps proxies and idle timeouts from closing a silent stream.
     */
    public static final String KEEP_ALIVE = ": keep-alive\n\n";

    private static final byte[] EVENT_PREFIX = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /**
     * The wire bytes of one event: {@code event: X} when event is non-null, one {@code data:} line per line of
     * data (split on LF, CRLF and CR, which SSE cannot carry inside a line), then the blank dispatch line.
     *
     * @throws IllegalArgumentException if the event name contains a line break (it would corrupt the stream)
     */
    public static byte[] encode(String event, String data) {
        byte[] eventBytes = null;
        if (event != null) {
            if (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("SSE event name contains a line break");
            }
            eventBytes = event.getBytes(StandardCharsets.UTF_8);
        }
        // Splitting the encoded bytes is safe: UTF-8 never uses CR or LF inside a multi-byte character.
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        int lines = 1;
        int breakBytes = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == '\n' || d[i] == '\r') {
                lines++;
                breakBytes++;
                if (d[i] == '\r' && i + 1 < d.length && d[i + 1] == '\n') {
                    i++;
                    breakBytes++;
                }
            }
        }
        int size = (eventBytes == null ? 0 : EVENT_PREFIX.length + eventBytes.length + 1)
                + lines * (DATA_PREFIX.length + 1) + d.length - breakBytes + 1;
        byte[] out = new byte[size];
        int o = 0;
        if (eventBytes != null) {
            o = put(out, o, EVENT_PREFIX, 0, EVENT_PREFIX.length);
            o = put(out, o, eventBytes, 0, eventBytes.length);
            out[o++] = '\n';
        }
        int start = 0;
        for (int i = 0; i <= d.length; i++) {
            if (i == d.length || d[i] == '\n' || d[i] == '\r') {
                o = put(out, o, DATA_PREFIX, 0, DATA_PREFIX.length);
                o = put(out, o, d, start, i - start);
                out[o++] = '\n';
                if (i < d.length && d[i] == '\r' && i + 1 < d.length && d[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out[o] = '\n';
        return out;
    }

    private static int put(byte[] out, int o, byte[] src, int off, int len) {
        System.arraycopy(src, off, out, o, len);
        return o + len;
    }
}
