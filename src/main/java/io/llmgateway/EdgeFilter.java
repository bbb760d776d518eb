package io.llmgateway;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Secret;
import io.llmgateway.upstream.RequestFacts;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The edge of every {@code /v1} call: request id, inbound API keys, the demo-mode header and one access-log
 * line per request. The line is written after the body (so a stream's latency is its full duration).
 * The client's own key is checked here and never travels further.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class EdgeFilter implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {
    private static final Logger ACCESS = Logger.getLogger("io.llmgateway.access");
    private static final String ID = "gateway.requestId";
    private static final String START = "gateway.startNanos";
    private static final String LOGGED = "gateway.logged";
    private static final String STATUS = "gateway.status";
    private static final String METHOD = "gateway.method";
    private static final String PATH = "gateway.path";

    private final Gateway gateway;

    @Context
    private HttpServletRequest servletRequest;

    EdgeFilter(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
        request.setProperty(ID, newRequestId());
        GatewayConfig config = gateway.config().current();
        String path = request.getUriInfo().getPath();
        request.setProperty(METHOD, request.getMethod());
        request.setProperty(PATH, path);
        if (config.apiKeys().isEmpty()) {
            if (!isLoopback(servletRequest.getRemoteAddr())) {
                request.abortWith(DialectErrors.response(path, 401, "This gateway has no API keys configured, so it "
                        + "only serves clients on the same machine. Set GATEWAY_API_KEYS to let other machines in."));
            }
            return;
        }
        String presented = presentedKey(request);
        Secret match = presented == null ? null
                : config.apiKeys().stream().filter(key -> key.matches(presented)).findFirst().orElse(null);
        if (match == null) {
            request.abortWith(DialectErrors.response(path, 401, presented == null
                    ? "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
                    : "Invalid API key."));
        } else {
            request.setProperty("gateway.keyFingerprint", match.fingerprint());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(ID);
        if (id != null) {
            response.getHeaders().putSingle("x-request-id", id);
            if (DialectErrors.isAnthropic(String.valueOf(request.getProperty(PATH)))) {
                response.getHeaders().putSingle("request-id", id); // the Anthropic SDKs surface this one
            }
        }
        if (gateway.endpoints().demo()) {
            response.getHeaders().putSingle("x-gateway-mode", "demo");
        }
        if (!response.hasEntity()) {
            log(request, response.getStatus());
        } else {
            request.setProperty(STATUS, response.getStatus());
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        try {
            context.proceed();
        } finally {
            Object status = context.getProperty(STATUS);
            log(context, status instanceof Integer s ? s : 200);
        }
    }

    /** Request and interceptor contexts share the request's properties; this reads them from either. */
    private static void log(Function<String, Object> property,
            BiConsumer<String, Object> setProperty, int status) {
        if (property.apply(LOGGED) != null || property.apply(START) == null) {
            return;
        }
        setProperty.accept(LOGGED, Boolean.TRUE);
        long millis = (System.nanoTime() - (Long) property.apply(START)) / 1_000_000;
        Object upstream = property.apply(RequestFacts.UPSTREAM_LATENCY_MS);
        Object key = property.apply("gateway.keyFingerprint");
        ACCESS.info(() -> "id=" + property.apply(ID) + " " + property.apply(METHOD) + " /v1/" + property.apply(PATH)
                + " status=" + status
                + " model=" + orDash(property.apply(RequestFacts.MODEL))
                + " stream=" + (Boolean.TRUE.equals(property.apply(RequestFacts.STREAM)))
                + " latency_ms=" + millis + " upstream_ms=" + orDash(upstream)
                + (key == null ? "" : " key=" + key));
    }

    private static void log(ContainerRequestContext request, int status) {
        log(request::getProperty, request::setProperty, status);
    }

    private static void log(WriterInterceptorContext context, int status) {
        log(context::getProperty, context::setProperty, status);
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String presentedKey(ContainerRequestContext request) {
        String auth = request.getHeaderString("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        String apiKey = request.getHeaderString("x-api-key");
        return apiKey == null ? null : apiKey.strip();
    }

    static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        try {
            // A literal address: no DNS lookup happens for it.
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String newRequestId() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }
}
