package io.llmgateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The same simulated upstream as {@link DemoUpstreamServlet} (token endpoint, model list, chat completions with
 * the same {@link DemoChat} answers), served by the JDK's own HTTP server on a free loopback port. For code that
 * runs without a servlet container: the in-process LangChain4j models in demo mode and their demo. Its threads
 * are daemons, so a forgotten server never keeps a JVM alive; {@link #close()} stops it.
 */
public final class DemoUpstreamServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DemoUpstreamServer.class.getName());
    private static final String BEARER = "Bearer ";

    private final HttpServer server;
    private final ExecutorService executor;
    private final DemoSettings settings;
    private final DemoTokens tokens;

    private DemoUpstreamServer(DemoSettings settings) throws IOException {
        this.settings = settings;
        this.tokens = new DemoTokens(settings.tokenLifetime(), settings.clock());
        AtomicInteger serial = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "llm-gateway-demo-upstream-" + serial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/demo/", this::handle);
        server.setExecutor(executor);
    }

    /** Starts a simulator on a free loopback port. */
    public static DemoUpstreamServer start(DemoSettings settings) {
        DemoUpstreamServer demo;
        try {
            demo = new DemoUpstreamServer(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a loopback port for the demo upstream", e);
        }
        // The server's dispatcher thread inherits daemon status from the thread that starts it.
        Thread starter = new Thread(demo.server::start, "llm-gateway-demo-upstream-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            demo.close();
            throw new IllegalStateException("interrupted while starting the demo upstream", e);
        }
        LOG.info(() -> "Demo upstream active at " + demo.base() + ": answers are simulated, no real model is configured");
        return demo;
    }

    /** Base of the routes, ending in {@code /demo/}: {@code oauth2/v1/token}, {@code v1/models}, {@code v1/chat/completions}. */
    public URI base() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/demo/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().substring("/demo".length());
            switch (route) {
                case "POST /oauth2/v1/token" -> token(exchange);
                case "GET /v1/models" -> models(exchange);
                case "POST /v1/chat/completions" -> chat(exchange);
                default -> openAiError(exchange, 404, "Invalid URL (" + route + ")", "invalid_request_error", null, null);
            }
        } catch (IOException e) {
            LOG.fine(() -> "Client left the demo upstream: " + e);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        DemoReplies.Reply reply = DemoReplies.grant(tokens, form.get("grant_type"), form.get("refresh_token"));
        writeJson(exchange, reply.status(), reply.body());
    }

    private void models(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        writeJson(exchange, 200, DemoReplies.models());
    }

    private void chat(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        DemoAnswer answer;
        try {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            String idSuffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            answer = DemoChat.answer(request, idSuffix, settings.clock().instant().getEpochSecond());
        } catch (JsonProcessingException e) {
            openAiError(exchange, 400, "The request body is not valid JSON.", "invalid_request_error", null, null);
            return;
        } catch (DemoChat.InvalidRequest e) {
            openAiError(exchange, 400, e.getMessage(), "invalid_request_error", e.param(), null);
            return;
        }
        if (!answer.stream()) {
            writeJson(exchange, 200, answer.completion());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        List<ObjectNode> chunks = answer.chunks();
        try {
            for (int i = 0; i <= chunks.size(); i++) {
                if (i > 0 && !settings.eventDelay().isZero()) {
                    TimeUnit.NANOSECONDS.sleep(settings.eventDelay().toNanos());
                }
                byte[] data = i < chunks.size() ? Json.MAPPER.writeValueAsBytes(chunks.get(i))
                        : "[DONE]".getBytes(StandardCharsets.US_ASCII);
                out.write("data: ".getBytes(StandardCharsets.US_ASCII));
                out.write(data);
                out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        if (tokens.isValid(token)) {
            return true;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", token.isEmpty() ? "Bearer" : "Bearer error=\"invalid_token\"");
        openAiError(exchange, 401, token.isEmpty()
                        ? "Missing bearer token: get one from the demo token endpoint /oauth2/v1/token."
                        : "The access token is unknown or expired: refresh it at the demo token endpoint.",
                "authentication_error", null, token.isEmpty() ? "missing_token" : "invalid_token");
        return false;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void openAiError(HttpExchange exchange, int status, String message, String type, String param,
            String code) throws IOException {
        writeJson(exchange, status, DemoReplies.openAiError(message, type, param, code));
    }

    private static void writeJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "DemoUpstreamServer[" + base() + "]";
    }
}
