package io.llmgateway;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.InboundKey;
import io.llmgateway.edge.BodyLimit;
import io.llmgateway.edge.KeyLimiter;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import io.llmgateway.relay.EdgeHooks;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The edge of every {@code /v1} call: request id, CORS, body size cap, inbound API keys, per-key limits, the
 * demo-mode header and one access-log line per request. The line is written, and the key's permit released,
 * after the body (so a stream counts for its whole duration) on every path, including a client that left.
 * The client's own key is checked here and never travels further.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class EdgeFilter implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor, EdgeHooks {
    private static final Logger ACCESS = Logger.getLogger("io.llmgateway.access");
    /** Clients on this machine when no keys are configured share one limit bucket. */
    static final String LOCAL_CLIENTS = "local";
    private static final String ID = "gateway.requestId";
    private static final String START = "gateway.startNanos";
    private static final String DONE = "gateway.done";
    private static final String STATUS = "gateway.status";
    private static final String METHOD = "gateway.method";
    private static final String PATH = "gateway.path";
    private static final String KEY = "gateway.key";
    private static final String PERMIT = "gateway.permit";

    private final Gateway gateway;
    private final KeyLimiter limiter;
    private final Cors cors;

    @Context
    private HttpServletRequest servletRequest;

    EdgeFilter(Gateway gateway) {
        this.gateway = gateway;
        this.limiter = gateway.keyLimiter();
        this.cors = new Cors(gateway.config());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
        request.setProperty(ID, newRequestId());
        String path = request.getUriInfo().getPath();
        request.setProperty(METHOD, request.getMethod());
        request.setProperty(EdgeHooks.PROPERTY, this);
        request.setProperty(PATH, path);
        if (cors.isPreflight(request)) {
            request.abortWith(cors.preflight(request));
            return;
        }
        GatewayConfig config = gateway.config().current();
        long declared = request.getLength();
        if (declared > config.maxBodyBytes()) {
            request.abortWith(DialectErrors.response(path, 413, new BodyLimit.TooLarge(config.maxBodyBytes()).getMessage()));
            return;
        }
        request.setEntityStream(new BodyLimit(request.getEntityStream(), config.maxBodyBytes()));
        String key = authenticate(request, config, path);
        if (key == null) {
            return;
        }
        request.setProperty(KEY, key);
        KeyLimiter.Admission admission = limiter.admit(key, config.keyLimits().forKey(key));
        if (admission instanceof KeyLimiter.Rejection rejection) {
            Response refused = DialectErrors.response(path, 429, rejection.reason());
            request.abortWith(Response.fromResponse(refused)
                    .header("retry-after", rejection.retryAfter().toSeconds()).build());
        } else {
            request.setProperty(PERMIT, admission);
            gateway.inFlight().incrementAndGet();
        }
    }

    /** The label of the caller's key (or {@link #LOCAL_CLIENTS}), or null after aborting with a 401. */
    private String authenticate(ContainerRequestContext request, GatewayConfig config, String path) {
        if (config.apiKeys().isEmpty()) {
            if (isLoopback(servletRequest.getRemoteAddr())) {
                return LOCAL_CLIENTS;
            }
            request.abortWith(DialectErrors.response(path, 401, "This gateway has no API keys configured, so it "
                    + "only serves clients on the same machine. Set GATEWAY_API_KEYS to let other machines in."));
            return null;
        }
        String presented = presentedKey(request);
        InboundKey match = null;
        if (presented != null) {
            byte[] hash = InboundKey.sha256(presented);
            for (InboundKey key : config.apiKeys()) {
                if (key.matches(hash) && match == null) {
                    match = key; // no early exit: every key is compared, whichever matches
                }
            }
        }
        if (match == null) {
            request.abortWith(DialectErrors.response(path, 401, presented == null
                    ? "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
                    : "Invalid API key."));
            return null;
        }
        return match.label();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        edgeHeaders(request, (name, value) -> {
            if ("Vary".equals(name)) {
                response.getHeaders().add(name, value);
            } else {
                response.getHeaders().putSingle(name, value);
            }
        });
        if (!response.hasEntity()) {
            finish(request::getProperty, request::setProperty, response.getStatus());
        } else {
            request.setProperty(STATUS, response.getStatus());
        }
    }

    private void edgeHeaders(ContainerRequestContext request, BiConsumer<String, String> header) {
        Object id = request.getProperty(ID);
        if (id != null) {
            header.accept("x-request-id", id.toString());
            if (DialectErrors.isAnthropic(String.valueOf(request.getProperty(PATH)))) {
                header.accept("request-id", id.toString()); // the Anthropic SDKs surface this one
            }
        }
        if (gateway.endpoints().demo()) {
            header.accept("x-gateway-mode", "demo");
        }
        cors.decorate(request, header);
    }

    @Override
    public Map<String, String> headers(ContainerRequestContext request) {
        Map<String, String> headers = new LinkedHashMap<>();
        edgeHeaders(request, headers::put);
        return headers;
    }

    @Override
    public IntConsumer finisher(ContainerRequestContext request) {
        Map<String, Object> facts = new HashMap<>();
        for (String name : List.of(START, ID, METHOD, PATH, KEY, PERMIT, DONE, RequestFacts.MODEL,
                RequestFacts.STREAM, RequestFacts.UPSTREAM_LATENCY_MS)) {
            Object value = request.getProperty(name);
            if (value != null) {
                facts.put(name, value);
            }
        }
        return status -> finish(facts::get, facts::put, status);
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        try {
            context.proceed();
        } finally {
            Object status = context.getProperty(STATUS);
            finish(context::getProperty, context::setProperty, status instanceof Integer s ? s : 200);
        }
    }

    /** Once per request: release the key's permit and write the access-log line. */
    private void finish(Function<String, Object> property, BiConsumer<String, Object> setProperty, int status) {
        if (property.apply(DONE) != null || property.apply(START) == null) {
            return;
        }
        setProperty.accept(DONE, Boolean.TRUE);
        if (property.apply(PERMIT) instanceof KeyLimiter.Permit permit) {
            permit.release();
            gateway.inFlight().decrementAndGet();
        }
        long millis = (System.nanoTime() - (Long) property.apply(START)) / 1_000_000;
        Object upstream = property.apply(RequestFacts.UPSTREAM_LATENCY_MS);
        Object key = property.apply(KEY);
        ACCESS.info(() -> "id=" + property.apply(ID) + " " + property.apply(METHOD) + " /v1/" + property.apply(PATH)
                + " status=" + status
                + " model=" + orDash(property.apply(RequestFacts.MODEL))
                + " stream=" + (Boolean.TRUE.equals(property.apply(RequestFacts.STREAM)))
                + " latency_ms=" + millis + " upstream_ms=" + orDash(upstream)
                + (key == null ? "" : " key=" + key));
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
