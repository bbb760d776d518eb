package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * An upstream answer that is an error object instead of a completion: OpenAI's
 * {@code {"error":{"message","type","param","code"}}}, a bare {@code {"error":"text"}}, or vLLM's
 * {@code {"object":"error","message","type","code"}}. Carries the status and message the caller needs to answer
 * with {@link AnthropicErrors}.
 */
final class AnthropicResponseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** An upstream that failed without saying how: a bad gateway, which Anthropic calls {@code api_error}. */
    static final int UNKNOWN_STATUS = 502;

    private final int status;

    AnthropicResponseException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** Anthropic's error type for {@link #status()}, e.g. {@code rate_limit_error}. */
    String errorType() {
        return AnthropicErrors.type(status);
    }

    /** The Anthropic error envelope for this failure. */
    ObjectNode body() {
        return AnthropicErrors.body(status, getMessage());
    }

    /** The error part of an upstream answer, or null when it is not an error. */
    static JsonNode errorOf(JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            return null;
        }
        JsonNode error = answer.get("error");
        if (error != null && !error.isNull() && !(error.isBoolean() && !error.booleanValue())) {
            return error;
        }
        if ("error".equals(answer.path("object").asText(null))) {
            return answer;
        }
        return null;
    }

    /** The failure an error part describes; never throws, whatever its shape. */
    static AnthropicResponseException from(JsonNode error) {
        if (error == null || error.isNull() || error.isMissingNode()) {
            return new AnthropicResponseException(UNKNOWN_STATUS, "The upstream model failed");
        }
        if (!error.isObject()) {
            String text = error.isTextual() ? error.asText() : error.toString();
            return new AnthropicResponseException(UNKNOWN_STATUS, text.isBlank() ? "The upstream model failed" : text);
        }
        JsonNode messageNode = error.get("message");
        String message = messageNode != null && messageNode.isTextual() && !messageNode.asText().isBlank()
                ? messageNode.asText()
                : "The upstream model failed: " + error;
        return new AnthropicResponseException(statusOf(error), message);
    }

    /**
     * The HTTP status an error object stands for: its numeric {@code code} or {@code status} when that is an HTTP
     * error status, otherwise guessed from the words in {@code type} and {@code code}, otherwise 502.
     */
    static int statusOf(JsonNode error) {
        for (String field : new String[] {"code", "status"}) {
            JsonNode value = error.get(field);
            if (value == null) {
                continue;
            }
            int status = value.canConvertToInt() && value.isIntegralNumber() ? value.intValue() : parse(value);
            if (status >= 400 && status <= 599) {
                return status;
            }
        }
        String words = (error.path("type").asText("") + " " + error.path("code").asText("")).toLowerCase(Locale.ROOT);
        if (words.contains("authentication") || words.contains("unauthorized") || words.contains("api_key")) {
            return 401;
        }
        if (words.contains("permission") || words.contains("forbidden")) {
            return 403;
        }
        if (words.contains("not_found") || words.contains("notfound") || words.contains("model_not_found")) {
            return 404;
        }
        if (words.contains("rate_limit") || words.contains("ratelimit") || words.contains("quota")) {
            return 429;
        }
        if (words.contains("overloaded") || words.contains("unavailable")) {
            return 529;
        }
        if (words.contains("timeout")) {
            return 504;
        }
        if (words.contains("invalid") || words.contains("badrequest") || words.contains("bad_request")
                || words.contains("context_length")) {
            return 400;
        }
        return UNKNOWN_STATUS;
    }

    private static int parse(JsonNode value) {
        if (!value.isTextual()) {
            return -1;
        }
        try {
            return Integer.parseInt(value.asText().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
