package io.llmgateway;

import io.llmgateway.config.LiveConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * CORS, closed unless {@code GATEWAY_CORS_ORIGINS} lists the origin (or is {@code *}): a browser page on another
 * origin may call the API only when the operator said so. Preflights are answered before authentication,
 * because browsers send them without credentials.
 */
final class Cors {
    private static final String ALLOWED_HEADERS =
            "authorization, content-type, x-api-key, anthropic-version, anthropic-beta, x-stainless-helper-method";

    private final LiveConfig config;

    Cors(LiveConfig config) {
        this.config = config;
    }

    boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Origin") != null
                && request.getHeader("Access-Control-Request-Method") != null;
    }

    /** Answers a preflight: 204 with the allowed methods and headers, or 403 for an origin not listed. */
    void preflight(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (!allowed(origin)) {
            response.setStatus(403);
            return;
        }
        response.setStatus(204);
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.setHeader("Access-Control-Max-Age", "600");
        response.setHeader("Vary", "Origin");
    }

    /** The headers that let a listed origin's page read the response. */
    void decorate(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin != null && allowed(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Expose-Headers", "x-request-id, request-id, retry-after");
            response.addHeader("Vary", "Origin");
        }
    }

    private boolean allowed(String origin) {
        var origins = config.current().corsOrigins();
        return origins.contains("*") || origins.contains(origin);
    }
}
