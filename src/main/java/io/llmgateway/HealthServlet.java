package io.llmgateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.auth.TokenHealth;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.CatalogStatus;
import io.llmgateway.upstream.NetworkStatus;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/**
 * {@code /api/hello} (a liveness probe some Anthropic clients send), {@code /health} (everything an operator wants at a glance, no secrets), {@code /health/live} (the process
 * answers) and {@code /health/ready} (503 until inference can authenticate).
 */
final class HealthServlet extends HttpServlet {
    private final transient Gateway gateway;

    HealthServlet(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath().equals("/api/hello") ? "/live"
                : request.getPathInfo() == null ? "" : request.getPathInfo();
        ObjectNode body = Json.MAPPER.createObjectNode();
        int status = 200;
        switch (path) {
            case "", "/" -> status = overview(body);
            case "/live" -> body.put("status", "live");
            case "/ready" -> {
                boolean ready = gateway.ready();
                body.put("status", ready ? "ready" : "not_ready");
                if (!ready) {
                    body.put("reason", String.valueOf(gateway.tokens().health().lastError()));
                    status = 503;
                }
            }
            default -> {
                status = 404;
                body.put("error", "unknown health endpoint");
            }
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(body));
    }

    private int overview(ObjectNode body) {
        GatewayConfig config = gateway.config().current();
        boolean demo = gateway.endpoints().demo();
        boolean staticKey = !demo && config.llmApiKey() != null;
        TokenHealth token = gateway.tokens().health();
        boolean healthy = staticKey || token.ready();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("mode", demo ? "demo" : "live");
        if (demo) {
            body.put("notice", "No upstream is configured (LLM_API_URL unset): answers are SIMULATED by the built-in "
                    + "demo model.");
        }
        body.put("auth", staticKey ? "static_key" : "oauth2");
        ObjectNode tokens = body.putObject("token");
        tokens.put("state", token.state().name().toLowerCase(java.util.Locale.ROOT));
        tokens.put("ready", token.ready());
        tokens.put("expires_at", text(token.expiresAt()));
        tokens.put("last_refresh_at", text(token.lastRefreshAt()));
        tokens.put("last_error", token.lastError());
        tokens.put("store", token.store());
        CatalogStatus catalog = gateway.models().status();
        ObjectNode models = body.putObject("models");
        models.put("count", catalog.size());
        models.put("source", catalog.source());
        models.put("fetched_at", text(catalog.fetchedAt()));
        models.put("last_error", catalog.lastError());
        NetworkStatus network = gateway.client().networkStatus();
        ObjectNode route = body.putObject("network");
        route.put("last_route", network.lastRoute());
        route.put("force_proxy", network.forceProxy());
        route.put("proxy", network.proxy());
        route.put("proxy_preferred", network.proxyPreferred());
        route.put("tls_verification", !config.disableSslVerify());
        int[] pool = gateway.client().poolStats();
        ObjectNode load = body.putObject("load");
        load.put("requests_in_flight", gateway.inFlight().get());
        load.put("upstream_connections_in_use", pool[0]);
        load.put("upstream_connections_idle", pool[1]);
        body.put("config_file", gateway.config().envFile().toString());
        ArrayNode warnings = body.putArray("warnings");
        gateway.config().warnings().forEach(warnings::add);
        token.warnings().forEach(warnings::add);
        if (network.problem() != null) {
            warnings.add(network.problem());
        }
        if (config.disableSslVerify()) {
            warnings.add("DISABLE_SSL_VERIFY=true: TLS certificates are not verified");
        }
        return 200;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
