package io.llmgateway.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.llmgateway.auth.TokenRefreshException;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.UpstreamException;
import java.io.IOException;
import java.net.UnknownHostException;

/**
 * Upstream failures as LangChain4j's exception types, so that applications (and AI Services' retries) can tell
 * a dead refresh token from a rate limit from a timeout. An HTTP error keeps the upstream's status and body in
 * an {@link HttpException} cause.
 */
final class Errors {
    private static final int MAX_MESSAGE = 500;

    private Errors() {
    }

    static LangChain4jException of(UpstreamException e) {
        return switch (e.kind()) {
            case HTTP_STATUS -> ofStatus(e.clientStatus(), e.bodyText(), e.headers().get("retry-after"));
            case TIMEOUT -> new TimeoutException(e.getMessage() + " (LLM_REQUEST_TIMEOUT)", e);
            case NO_TOKEN -> noToken(e);
            case UNREACHABLE -> unreachable(e);
        };
    }

    /** An HTTP error status from the upstream, with its body (an OpenAI error envelope or anything else). */
    static LangChain4jException ofStatus(int status, String body, String retryAfter) {
        JsonNode error = envelope(body);
        String detail = error.path("message").isTextual() ? error.path("message").asText() : abbreviate(body);
        String message = "Upstream answered HTTP " + status + ": " + detail
                + (retryAfter != null ? " (retry after " + retryAfter + " s)" : "");
        HttpException cause = new HttpException(status, body);
        if (status == 401 || status == 403) {
            return new AuthenticationException(message, cause);
        }
        if (status == 404) {
            return new ModelNotFoundException(message, cause);
        }
        if (status == 408 || status == 504) {
            return new TimeoutException(message, cause);
        }
        if (status == 429) {
            return new RateLimitException(message, cause);
        }
        if (status >= 400 && status < 500) {
            return "content_filter".equals(error.path("code").asText()) || "content_filter".equals(error.path("type").asText())
                    ? new ContentFilteredException(message, cause)
                    : new InvalidRequestException(message, cause);
        }
        return new InternalServerException(message, cause);
    }

    /** An {@code {"error":{...}}} event inside a stream whose status was already 200. */
    static LangChain4jException inStream(JsonNode error) {
        String type = error.path("type").asText("") + " " + error.path("code").asText("");
        String message = "The upstream failed mid-stream: " + error.path("message").asText(abbreviate(error.toString()));
        if (type.contains("timeout")) {
            return new TimeoutException(message);
        }
        if (type.contains("rate_limit")) {
            return new RateLimitException(message);
        }
        if (type.contains("authentication") || type.contains("permission")) {
            return new AuthenticationException(message);
        }
        if (type.contains("invalid_request")) {
            return new InvalidRequestException(message);
        }
        return new InternalServerException(message);
    }

    /** The upstream connection broke, or went silent past the read timeout, while streaming. */
    static LangChain4jException midStream(IOException e) {
        if (e instanceof java.net.SocketTimeoutException) {
            return new TimeoutException("The upstream model stopped sending for longer than LLM_REQUEST_TIMEOUT", e);
        }
        return new RetriableException("The upstream connection failed mid-stream: " + e.getMessage(), e);
    }

    private static LangChain4jException noToken(UpstreamException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof TokenRefreshException refresh && refresh.status() == 0 && hasCause(refresh, UpstreamException.class)) {
                return new RetriableException(e.getMessage(), e); // the authorization server was unreachable
            }
        }
        return new AuthenticationException(e.getMessage(), e); // rejected (e.g. invalid_grant) or not configured
    }

    private static LangChain4jException unreachable(UpstreamException e) {
        return hasCause(e, UnknownHostException.class)
                ? new UnresolvedModelServerException(e.getMessage(), e)
                : new RetriableException(e.getMessage(), e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e.getCause(); t != null && t != e; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode envelope(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            return json == null ? Json.MAPPER.missingNode() : json.path("error");
        } catch (IOException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private static String abbreviate(String text) {
        String flat = text == null ? "" : text.strip();
        return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "…";
    }
}
