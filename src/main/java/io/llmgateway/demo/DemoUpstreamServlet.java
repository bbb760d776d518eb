package io.llmgateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The built-in simulated upstream: an OAuth2 token endpoint and an OpenAI-compatible model, so the gateway's
 * whole real path runs without a real LLM. Mapped at {@code /demo/*}; routes are relative to that:
 * <ul>
 * <li>{@code POST /oauth2/v1/token}: refresh-token grant, rotating the refresh token every time;</li>
 * <li>{@code GET /v1/models}: the demo models;</li>
 * <li>{@code POST /v1/chat/completions}: simulated answers, streamed or not ({@link DemoChat}).</li>
 * </ul>
 * The model routes need a bearer token issued by the token route and not yet expired.
 */
public class DemoUpstreamServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(DemoUpstreamServlet.class.getName());

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final String BEARER = "Bearer ";

    /** Null until {@link #init()} when built without settings: the init-parameters decide then. */
    private DemoSettings settings;
    private DemoTokens tokens;

    /** Defaults (3600 s tokens, 15 ms between stream events, system clock), overridable by init-parameters. */
    public DemoUpstreamServlet() {
    }

    /** Exactly these settings; init-parameters are ignored. */
    public DemoUpstreamServlet(DemoSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void init() throws ServletException {
        if (settings == null) {
            try {
                settings = DemoSettings.fromInitParameters(this::getInitParameter);
            } catch (IllegalArgumentException e) {
                throw new ServletException(e.getMessage(), e);
            }
        }
        tokens = new DemoTokens(settings.tokenLifetime(), settings.clock());
        LOG.info("Demo upstream active: answers are simulated, no real model is configured");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String route = req.getMethod() + " " + Objects.requireNonNullElse(req.getPathInfo(), "");
        switch (route) {
            case "POST /oauth2/v1/token" -> token(req, resp);
            case "GET /v1/models" -> models(req, resp);
            case "POST /v1/chat/completions" -> chat(req, resp);
            default -> openAiError(resp, HttpServletResponse.SC_NOT_FOUND,
                    "Invalid URL (" + req.getMethod() + " " + req.getRequestURI() + ")", "invalid_request_error",
                    null, null);
        }
    }

    private void token(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Token responses must never be cached (RFC 6749 §5.1), errors included
        resp.setHeader("Cache-Control", "no-store");
        DemoReplies.Reply reply = DemoReplies.grant(tokens, req.getParameter("grant_type"),
                req.getParameter("refresh_token"));
        writeJson(resp, reply.status(), reply.body());
    }

    private void models(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!authorized(req, resp)) {
            return;
        }
        writeJson(resp, HttpServletResponse.SC_OK, DemoReplies.models());
    }

    private void chat(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!authorized(req, resp)) {
            return;
        }
        DemoAnswer answer;
        try {
            JsonNode request = Json.MAPPER.readTree(req.getInputStream());
            String idSuffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            answer = DemoChat.answer(request, idSuffix, settings.clock().instant().getEpochSecond());
        } catch (JsonProcessingException e) {
            openAiError(resp, HttpServletResponse.SC_BAD_REQUEST, "The request body is not valid JSON.",
                    "invalid_request_error", null, null);
            return;
        } catch (DemoChat.InvalidRequest e) {
            openAiError(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage(), "invalid_request_error",
                    e.param(), null);
            return;
        }
        if (!answer.stream()) {
            writeJson(resp, HttpServletResponse.SC_OK, answer.completion());
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        try {
            writeEvents(answer.chunks(), resp.getOutputStream(), settings.eventDelay());
        } catch (IOException e) {
            LOG.fine(() -> "Client left during a demo stream; stopped: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes each chunk and then {@code [DONE]} as SSE {@code data:} events, flushing each so it leaves at once,
     * pausing {@code delay} between events. A failed write or flush (client gone) ends the stream there.
     */
    static void writeEvents(List<ObjectNode> chunks, OutputStream out, Duration delay)
            throws IOException, InterruptedException {
        List<byte[]> payloads = new ArrayList<>();
        for (ObjectNode chunk : chunks) {
            payloads.add(Json.MAPPER.writeValueAsBytes(chunk));
        }
        payloads.add(DONE);
        for (int i = 0; i < payloads.size(); i++) {
            if (i > 0 && !delay.isZero()) {
                TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            }
            out.write(DATA);
            out.write(payloads.get(i));
            out.write(END_OF_EVENT);
            out.flush();
        }
    }

    /** True when the request carries a bearer token this server issued that has not expired; else answers 401. */
    private boolean authorized(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String header = req.getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim()
                : "";
        if (token.isEmpty()) {
            resp.setHeader("WWW-Authenticate", "Bearer");
            openAiError(resp, HttpServletResponse.SC_UNAUTHORIZED,
                    "Missing bearer token: get one from the demo token endpoint /oauth2/v1/token.",
                    "authentication_error", null, "missing_token");
            return false;
        }
        if (!tokens.isValid(token)) {
            resp.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            openAiError(resp, HttpServletResponse.SC_UNAUTHORIZED,
                    "The access token is unknown or expired: refresh it at the demo token endpoint.",
                    "authentication_error", null, "invalid_token");
            return false;
        }
        return true;
    }

    private static void openAiError(HttpServletResponse resp, int status, String message, String type,
            String param, String code) throws IOException {
        writeJson(resp, status, DemoReplies.openAiError(message, type, param, code));
    }

    private static void writeJson(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
