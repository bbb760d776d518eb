package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.UpstreamException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/** Errors in Anthropic's envelope: {@code {"type":"error","error":{"type","message"}}} with its types per status. */
public final class AnthropicErrors {
    private AnthropicErrors() {
    }

    public static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(status, message).toString())
                .header("x-should-retry", String.valueOf(retryable(status))).build();
    }

    public static ObjectNode body(int status, String message) {
        return body(type(status), message);
    }

    static ObjectNode body(String type, String message) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("type", type);
        error.put("message", message);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", "error");
        body.set("error", error);
        return body;
    }

    /**
     * An upstream failure in Anthropic's terms: the upstream's status and its own error message (taken out of
     * an OpenAI envelope when there is one), its {@code retry-after}, and {@code x-should-retry} for the SDKs.
     */
    public static Response of(UpstreamException e) {
        int status = e.clientStatus();
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(status, message(e)).toString())
                .header("x-should-retry", String.valueOf(retryable(status)));
        for (String name : new String[] {"retry-after", "retry-after-ms"}) {
            if (e.headers().containsKey(name)) {
                builder.header(name, e.headers().get(name));
            }
        }
        return builder.build();
    }

    static String message(UpstreamException e) {
        if (e.kind() != UpstreamException.Kind.HTTP_STATUS) {
            return e.getMessage();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(e.body());
            JsonNode message = node == null ? null : node.path("error").path("message");
            if (message != null && message.isTextual()) {
                return message.asText();
            }
        } catch (IOException ignored) {
            // not JSON: use the text below
        }
        String text = e.bodyText().strip();
        return "Upstream error (HTTP " + e.clientStatus() + ")"
                + (text.isEmpty() ? "" : ": " + (text.length() > 500 ? text.substring(0, 500) + "…" : text));
    }

    /** What the Anthropic SDKs would retry: timeouts, conflicts, rate limits and server errors. */
    static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
