package io.llmgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A scripted OAuth2 token server and OpenAI-compatible upstream on loopback. Tests script the answers and
 * assert on what arrived (headers and bodies), so both sides of the gateway are observed. Plain HTTP by
 * default; {@link #https(SSLContext)} serves the same routes over TLS (e.g. with a {@link TestPki} identity).
 */
public final class ScriptedUpstream implements AutoCloseable {
    /** What arrived at the upstream. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return form;
        }
    }

    /** Writes one scripted answer. */
    @FunctionalInterface
    public interface Answer {
        void write(HttpExchange exchange, Received request) throws IOException;
    }

    private final HttpServer server;
    private final String scheme;
    private final Set<Integer> clientPorts = Collections.synchronizedSet(new LinkedHashSet<>());
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private volatile Answer token;
    private volatile Answer chat = json(200, "{}");
    private volatile Answer models = json(200, "{\"object\":\"list\",\"data\":[]}");

    /** Plain HTTP on 127.0.0.1. */
    public ScriptedUpstream() {
        this("127.0.0.1", null);
    }

    /** Plain HTTP on this loopback address (e.g. 127.0.0.2), so tests can tell addresses apart. */
    public static ScriptedUpstream http(String loopbackAddress) {
        return new ScriptedUpstream(loopbackAddress, null);
    }

    /** The same routes over HTTPS on 127.0.0.1, presenting the identity in {@code serverContext}. */
    public static ScriptedUpstream https(SSLContext serverContext) {
        return https(serverContext, "127.0.0.1");
    }

    /** The same routes over HTTPS on this loopback address. */
    public static ScriptedUpstream https(SSLContext serverContext, String loopbackAddress) {
        return new ScriptedUpstream(loopbackAddress, serverContext);
    }

    private ScriptedUpstream(String loopbackAddress, SSLContext tls) {
        InetSocketAddress address = new InetSocketAddress(loopbackAddress, 0);
        if (!(address.getAddress() instanceof Inet4Address) || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("not an IPv4 loopback address: " + loopbackAddress);
        }
        try {
            if (tls == null) {
                server = HttpServer.create(address, 0);
                scheme = "http";
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
                scheme = "https";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger serial = new AtomicInteger();
        token = (exchange, request) -> json(200, "{\"access_token\":\"at-" + serial.incrementAndGet()
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}").write(exchange, request);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            received.add(request);
            String path = request.path();
            if (path.endsWith("/oauth2/v1/token")) {
                tokenCalls.incrementAndGet();
                token.write(exchange, request);
            } else if (path.endsWith("/chat/completions")) {
                chat.write(exchange, request);
            } else if (path.endsWith("/models")) {
                models.write(exchange, request);
            } else {
                json(404, "{\"error\":{\"message\":\"no such path\"}}").write(exchange, request);
            }
        } catch (IOException e) {
            // the gateway hung up (e.g. a cancelled stream): nothing to answer
        }
    }

    public URI uri(String path) {
        InetSocketAddress address = server.getAddress();
        return URI.create(scheme + "://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Remote ports of the connections requests arrived on, in first-seen order: one port for several requests
     * means the caller reused one connection.
     */
    public Set<Integer> clientPorts() {
        synchronized (clientPorts) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(clientPorts));
        }
    }

    /** Configuration for a gateway using this upstream for tokens, models and chat. */
    public Map<String, String> gatewayConfig(String envFile) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("GATEWAY_ENV_FILE", envFile);
        config.put("OAUTH_TOKEN_URL", uri("/oauth2/v1/token").toString());
        config.put("OAUTH_CLIENT_ID", "test-client");
        config.put("LLM_API_URL", uri("/v1/chat/completions").toString());
        config.put("LLM_MODEL_NAME", "test-model");
        return config;
    }

    public ScriptedUpstream onToken(Answer answer) {
        token = answer;
        return this;
    }

    public ScriptedUpstream onChat(Answer answer) {
        chat = answer;
        return this;
    }

    public ScriptedUpstream onModels(Answer answer) {
        models = answer;
        return this;
    }

    public int tokenCalls() {
        return tokenCalls.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String pathSuffix) {
        return received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    public Received lastChat() {
        List<Received> chats = received("/chat/completions");
        return chats.get(chats.size() - 1);
    }

    public static Answer json(int status, String body) {
        return json(status, body, Map.of());
    }

    public static Answer json(int status, String body, Map<String, String> headers) {
        return (exchange, request) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /** A server-sent event stream; each element is written and flushed on its own. */
    public static Answer sse(List<String> frames) {
        return sse(frames, frame -> { });
    }

    /** As {@link #sse(List)}, calling {@code afterFrame} after each flushed frame (to pace or observe). */
    public static Answer sse(List<String> frames, java.util.function.Consumer<Integer> afterFrame) {
        return (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < frames.size(); i++) {
                out.write(frames.get(i).getBytes(StandardCharsets.UTF_8));
                out.flush();
                afterFrame.accept(i);
            }
        };
    }

    /** A token answer with these fields. */
    public static Answer tokenJson(Function<Received, ObjectNode> body) {
        return (exchange, request) -> json(200, body.apply(request).toString()).write(exchange, request);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
