package io.llmgateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.UpstreamException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/** Errors in OpenAI's envelope: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {
    private OpenAiErrors() {
    }

    public static Response response(int status, String message) {
        return response(status, message, null, null);
    }

    public static Response response(int status, String message, String param, String code) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(status, message, param, code).toString()).build();
    }

    public static ObjectNode body(int status, String message, String param, String code) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("message", message);
        error.put("type", type(status));
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("error", error);
        return body;
    }

    /**
     * An upstream failure as the client should see it: an upstream error that already is an OpenAI envelope is
     * relayed byte for byte with its status and retry headers; anything else is wrapped.
     */
    public static Response of(UpstreamException e) {
        Response.ResponseBuilder builder;
        if (e.kind() == UpstreamException.Kind.HTTP_STATUS && isEnvelope(e.body())) {
            builder = Response.status(e.clientStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
        } else {
            String message = e.kind() == UpstreamException.Kind.HTTP_STATUS
                    ? "Upstream error (HTTP " + e.clientStatus() + "): " + abbreviate(e.bodyText())
                    : e.getMessage();
            builder = Response.status(e.clientStatus()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(e.clientStatus(), message, null, code(e)).toString());
        }
        e.headers().forEach((name, value) -> {
            if (!name.equals("content-type")) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    static String code(UpstreamException e) {
        return switch (e.kind()) {
            case HTTP_STATUS -> null;
            case UNREACHABLE -> "upstream_unreachable";
            case TIMEOUT -> "upstream_timeout";
            case NO_TOKEN -> "upstream_token_unavailable";
        };
    }

    static String type(int status) {
        return switch (status) {
            case 400, 404, 405, 413, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            case 502, 503, 504 -> "upstream_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static boolean isEnvelope(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node != null && node.path("error").isObject();
        } catch (IOException e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.isEmpty() ? "(empty body)" : oneLine.length() > 500 ? oneLine.substring(0, 500) + "…" : oneLine;
    }
}
