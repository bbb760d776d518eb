package io.llmgateway;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.InboundKey;
import io.llmgateway.edge.BodyLimit;
import io.llmgateway.edge.KeyLimiter;
import io.llmgateway.relay.Reply;
import io.llmgateway.relay.RequestFacts;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The edge of every {@code /v1} call, in front of both the inference servlets and Jersey: request id, CORS, body
 * size cap, inbound API keys, per-key limits, the demo-mode header and one access-log line per request. The line
 * is written, and the key's permit released, when the response is complete (so a stream counts for its whole
 * duration), including for a client that left. The client's own key is checked here and never travels further.
 */
final class EdgeFilter extends HttpFilter {
    private static final Logger ACCESS = Logger.getLogger("io.llmgateway.access");
    /** Clients on this machine when no keys are configured share one limit bucket. */
    static final String LOCAL_CLIENTS = "local";

    private final transient Gateway gateway;
    private final transient KeyLimiter limiter;
    private final transient Cors cors;

    EdgeFilter(Gateway gateway) {
        this.gateway = gateway;
        this.limiter = gateway.keyLimiter();
        this.cors = new Cors(gateway.config());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        GatewayConfig config = gateway.config().pin();
        try {
            filter(request, response, chain, config);
        } finally {
            gateway.config().unpin();
        }
    }

    private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            GatewayConfig config) throws IOException, ServletException {
        Call call = new Call(request, response);
        String id = call.facts.id();
        // Set before anything is written, so every answer carries them, errors and streams included.
        response.setHeader("x-request-id", id);
        if (DialectErrors.isAnthropic(call.path)) {
            response.setHeader("request-id", id); // the Anthropic SDKs surface this one
        }
        if (gateway.endpoints().demo()) {
            response.setHeader("x-gateway-mode", "demo");
        }
        if (cors.isPreflight(request)) {
            cors.preflight(request, response);
            call.finish();
            return;
        }
        cors.decorate(request, response);
        long declared = request.getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            call.refuse(413, new BodyLimit.TooLarge(config.maxBodyBytes()).getMessage());
            return;
        }
        call.key = authenticate(request, config, call);
        if (call.key == null) {
            return;
        }
        KeyLimiter.Admission admission = limiter.admit(call.key, config.keyLimits().forKey(call.key));
        if (admission instanceof KeyLimiter.Rejection rejection) {
            response.setHeader("retry-after", Long.toString(rejection.retryAfter().toSeconds()));
            call.refuse(429, rejection.reason());
            return;
        }
        call.permit = (KeyLimiter.Permit) admission;
        gateway.inFlight().incrementAndGet();
        boolean async = false;
        try {
            // A declared length is enforced by the container; only a chunked body needs counting.
            call.chunkedBodyLimit = declared >= 0 ? -1 : config.maxBodyBytes();
            chain.doFilter(call, response);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(call);
                async = true;
            }
        } finally {
            if (!async) {
                call.finish();
            }
        }
    }

    /** The label of the caller's key (or {@link #LOCAL_CLIENTS}), or null after refusing with a 401. */
    private String authenticate(HttpServletRequest request, GatewayConfig config, Call call) throws IOException {
        if (config.apiKeys().isEmpty()) {
            if (isLoopback(request.getRemoteAddr())) {
                return LOCAL_CLIENTS;
            }
            call.refuse(401, "This gateway has no API keys configured, so it only serves clients on the same "
                    + "machine. Set GATEWAY_API_KEYS to let other machines in.");
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
            call.refuse(401, presented == null
                    ? "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
                    : "Invalid API key.");
            return null;
        }
        return match.label();
    }

    /**
     * One request through the edge, as it is passed on: it carries the {@link RequestFacts}, caps a chunked body,
     * and is finished exactly once, when the filter returns or when its async cycle ends.
     */
    private final class Call extends HttpServletRequestWrapper implements RequestFacts.Carrier, AsyncListener {
        private final long start = System.nanoTime();
        private final RequestFacts facts = new RequestFacts(newRequestId());
        private final HttpServletResponse response;
        private final String method;
        /** Below {@code /v1/}, e.g. {@code chat/completions}. */
        private final String path;
        private String key;
        private KeyLimiter.Permit permit;
        private long chunkedBodyLimit = -1;
        private BodyLimit cappedBody;

        Call(HttpServletRequest request, HttpServletResponse response) {
            super(request);
            this.response = response;
            this.method = request.getMethod();
            String pathInfo = request.getPathInfo();
            String full = pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
            this.path = full.length() > 4 ? full.substring(4) : "";
        }

        @Override
        public RequestFacts facts() {
            return facts;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (chunkedBodyLimit < 0) {
                return super.getInputStream();
            }
            if (cappedBody == null) {
                cappedBody = new BodyLimit(super.getInputStream(), chunkedBodyLimit);
            }
            return cappedBody;
        }

        void refuse(int status, String message) throws IOException {
            Reply.of(DialectErrors.response(path, status, message)).writeTo(response);
            finish();
        }

        /** Releases the key's permit and writes the access-log line. */
        void finish() {
            if (permit != null) {
                permit.release();
                gateway.inFlight().decrementAndGet();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            ACCESS.info(() -> "id=" + facts.id() + " " + method + " /v1/" + path
                    + " status=" + response.getStatus()
                    + " model=" + (facts.model() == null ? "-" : facts.model())
                    + " stream=" + facts.stream()
                    + " latency_ms=" + millis
                    + " upstream_ms=" + (facts.upstreamMillis() < 0 ? "-" : facts.upstreamMillis())
                    + (key == null ? "" : " key=" + key));
        }

        @Override
        public void onComplete(AsyncEvent event) {
            finish();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the relay ends its own response; onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // the relay ends its own response; onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }

    private static String presentedKey(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        String apiKey = request.getHeader("x-api-key");
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
