package io.llmgateway;

import io.llmgateway.anthropic.AnthropicErrors;
import io.llmgateway.openai.OpenAiErrors;
import jakarta.ws.rs.core.Response;

/** An error in the caller's dialect, chosen by path: Anthropic for {@code /v1/messages…}, OpenAI otherwise. */
final class DialectErrors {
    private DialectErrors() {
    }

    static Response response(String path, int status, String message) {
        return isAnthropic(path) ? AnthropicErrors.response(status, message) : OpenAiErrors.response(status, message);
    }

    static boolean isAnthropic(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.startsWith("messages");
    }
}
