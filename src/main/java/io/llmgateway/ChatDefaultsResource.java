package io.llmgateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Json;
import io.llmgateway.config.LiveConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/gateway/chat-defaults}: what a new conversation of the chat page starts with, from the current
 * configuration ({@code LLM_SYSTEM_PROMPT}, {@code LLM_TEMPERATURE}, the default model). It sits behind the same
 * API keys as the rest of {@code /v1} rather than on {@code /health}, because the system prompt is the operator's
 * own text.
 */
@Singleton
@Path("gateway/chat-defaults")
@Produces(MediaType.APPLICATION_JSON)
public final class ChatDefaultsResource {
    private final Source source;

    @Inject
    public ChatDefaultsResource(Source source) {
        this.source = source;
    }

    @GET
    public String defaults() {
        GatewayConfig config = source.config().current();
        String model = source.fixedModel() != null ? source.fixedModel() : config.defaultModel();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("system_prompt", config.systemPrompt());
        body.put("temperature", config.temperature());
        body.put("model", model);
        return body.toString();
    }

    /** The live configuration, and the model every request means regardless of it (the demo's), or null. */
    public record Source(LiveConfig config, String fixedModel) {
    }
}
