package io.llmgateway.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.Resolution;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * What both models do with a request: resolve the model name as the gateway does (aliases, prefix, catalog,
 * fallback), build the OpenAI body, and send it through the shared {@link io.llmgateway.upstream.LlmUpstream}
 * (conversation healing, bearer, one refresh and retry on 401). No HTTP hop through the gateway.
 */
final class UpstreamChat {
    private final GatewayUpstream upstream;

    UpstreamChat(GatewayUpstream upstream) {
        this.upstream = upstream;
    }

    GatewayUpstream upstream() {
        return upstream;
    }

    /** The upstream body for a request whose parameters already include the model's defaults. */
    ObjectNode body(ChatRequest request, boolean stream) {
        Resolution resolution;
        try {
            resolution = upstream.models().resolve(request.parameters().modelName());
        } catch (UpstreamException e) {
            throw Errors.of(e);
        }
        if (!resolution.found()) {
            throw new ModelNotFoundException(resolution.reason());
        }
        return OpenAiRequests.body(request, resolution.model(), upstream.config(), stream);
    }

    /** Sends the body; returns once the upstream answered with a success status (its body not read yet). */
    UpstreamResponse send(ObjectNode body) {
        try {
            return upstream.stack().upstream().chat(body);
        } catch (UpstreamException e) {
            throw Errors.of(e);
        }
    }

    ChatResponse chat(ChatRequest request) {
        ObjectNode body = body(request, false);
        try (UpstreamResponse answer = send(body); InputStream in = answer.body()) {
            JsonNode completion = Json.MAPPER.readTree(in);
            if (completion == null || !completion.path("choices").isArray()) {
                throw completion != null && completion.path("error").isObject()
                        ? Errors.inStream(completion.get("error"))
                        : Errors.ofStatus(502, String.valueOf(completion), null);
            }
            return OpenAiResponses.chatResponse(completion);
        } catch (IOException e) {
            throw Errors.midStream(e);
        }
    }
}
