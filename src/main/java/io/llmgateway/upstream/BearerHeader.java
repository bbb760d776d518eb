package io.llmgateway.upstream;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BufferedHeader;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * The {@code Authorization} header for the current bearer, formatted once per token instead of once per
 * request. Apache writes a pre-formatted header's line as it is; any other header is formatted into the
 * connection's line buffer, which keeps the size of the longest line it ever wrote for as long as the connection
 * lives: with an OAuth access token of 1-2 KB, 2-4 KB of chars on every pooled connection, and a fresh copy of
 * the token held by every open stream.
 */
final class BearerHeader {
    private static final String PREFIX = "Authorization: Bearer ";

    /** The last bearer and its header; a token changes about hourly, so one entry serves nearly every call. */
    private static final class Formatted {
        final String bearer;
        final Header header;

        Formatted(String bearer, Header header) {
            this.bearer = bearer;
            this.header = header;
        }
    }

    private volatile Formatted last;

    Header of(String bearer) {
        Formatted formatted = last;
        if (formatted == null || !formatted.bearer.equals(bearer)) {
            CharArrayBuffer line = new CharArrayBuffer(PREFIX.length() + bearer.length());
            line.append(PREFIX);
            line.append(bearer);
            formatted = new Formatted(bearer, BufferedHeader.create(line));
            last = formatted;
        }
        return formatted.header;
    }
}
