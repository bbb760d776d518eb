package io.llmgateway;

import io.llmgateway.config.LiveConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.function.BiConsumer;

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

    boolean isPreflight(ContainerRequestContext request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeaderString("Origin") != null
                && request.getHeaderString("Access-Control-Request-Method") != null;
    }

    Response preflight(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (!allowed(origin)) {
            return Response.status(403).build();
        }
        return Response.noContent()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", "600")
                .header("Vary", "Origin")
                .build();
    }

    void decorate(ContainerRequestContext request, BiConsumer<String, String> header) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && allowed(origin)) {
            header.accept("Access-Control-Allow-Origin", origin);
            header.accept("Access-Control-Expose-Headers", "x-request-id, request-id, retry-after");
            header.accept("Vary", "Origin");
        }
    }

    private boolean allowed(String origin) {
        var origins = config.current().corsOrigins();
        return origins.contains("*") || origins.contains(origin);
    }
}
