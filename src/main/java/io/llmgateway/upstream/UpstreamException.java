package io.llmgateway.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Every upstream failure: an HTTP error answer (status, headers, raw body kept for the client), no
 * connection, a timeout, or no access token. Dialects turn it into their own error envelope.
 */
public final class UpstreamException extends RuntimeException {
    /** What went wrong; decides the status a client sees. */
    public enum Kind {
        /** The upstream answered with an error status. */
        HTTP_STATUS,
        /** No connection could be made (nothing was sent). */
        UNREACHABLE,
        /** The upstream went silent past the read timeout. */
        TIMEOUT,
        /** No access token could be obtained from the authorization server. */
        NO_TOKEN
    }

    private final Kind kind;
    private final int upstreamStatus;
    private final Map<String, String> headers;
    private final byte[] body;

    private UpstreamException(Kind kind, String message, int upstreamStatus, Map<String, String> headers,
            byte[] body, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.headers = headers;
        this.body = body;
    }

    static UpstreamException status(int status, Map<String, String> headers, byte[] body) {
        return new UpstreamException(Kind.HTTP_STATUS, "Upstream answered HTTP " + status, status, headers, body, null);
    }

    public static UpstreamException unreachable(String message, Throwable cause) {
        return new UpstreamException(Kind.UNREACHABLE, message, 0, Map.of(), new byte[0], cause);
    }

    public static UpstreamException timeout(String message, Throwable cause) {
        return new UpstreamException(Kind.TIMEOUT, message, 0, Map.of(), new byte[0], cause);
    }

    public static UpstreamException noToken(String message, Throwable cause) {
        return new UpstreamException(Kind.NO_TOKEN, message, 0, Map.of(), new byte[0], cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The status the gateway answers with: the upstream's own, 502 unreachable, 504 timeout, 503 no token. */
    public int clientStatus() {
        return switch (kind) {
            case HTTP_STATUS -> upstreamStatus;
            case UNREACHABLE -> 502;
            case TIMEOUT -> 504;
            case NO_TOKEN -> 503;
        };
    }

    /** Upstream response headers worth relaying (lower-case names), e.g. {@code retry-after}. */
    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
