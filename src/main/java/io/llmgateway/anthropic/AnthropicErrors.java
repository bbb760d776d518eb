package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Errors in Anthropic's envelope: {@code {"type":"error","error":{"type","message"}}} with its types per status. */
public final class AnthropicErrors {
    private AnthropicErrors() {
    }

    public static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(status, message).toString()).build();
    }

    public static ObjectNode body(int status, String message) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("type", type(status));
        error.put("message", message);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", "error");
        body.set("error", error);
        return body;
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
