package io.llmgateway.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import java.util.Arrays;
import java.util.List;

/**
 * The settings both models' builders take. Unset values come from the configuration ({@code LLM_MODEL_NAME},
 * {@code LLM_TEMPERATURE}).
 *
 * Public because its setters are the builders' public API (reflection cannot call public methods that a public
 * class inherits from a package-private one); only this package extends it.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ModelBuilder<B extends ModelBuilder<B>> {
    final ModelSettings settings = new ModelSettings();

    ModelBuilder() {
    }

    private B self() {
        @SuppressWarnings("unchecked")
        B self = (B) this;
        return self;
    }

    /** The connection (tokens, HTTP client) to use; default {@link GatewayUpstream#shared()}. */
    public B upstream(GatewayUpstream upstream) {
        settings.upstream = upstream;
        return self();
    }

    public B modelName(String modelName) {
        settings.modelName(modelName);
        return self();
    }

    public B temperature(Double temperature) {
        settings.temperature(temperature);
        return self();
    }

    public B topP(Double topP) {
        settings.topP(topP);
        return self();
    }

    public B maxOutputTokens(Integer maxOutputTokens) {
        settings.maxOutputTokens(maxOutputTokens);
        return self();
    }

    public B stopSequences(List<String> stopSequences) {
        settings.stopSequences(stopSequences);
        return self();
    }

    public B toolChoice(ToolChoice toolChoice) {
        settings.toolChoice(toolChoice);
        return self();
    }

    public B responseFormat(ResponseFormat responseFormat) {
        settings.responseFormat(responseFormat);
        return self();
    }

    /** Any default parameters; they override what was set before. */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        settings.override(parameters);
        return self();
    }

    public B listeners(List<ChatModelListener> listeners) {
        settings.listeners.addAll(listeners);
        return self();
    }

    public B listeners(ChatModelListener... listeners) {
        return listeners(Arrays.asList(listeners));
    }

    /**
     * What the upstream's model supports beyond plain chat, e.g. {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}
     * (then AI Services ask for structured output as a JSON schema). Default none.
     */
    public B supportedCapabilities(Capability... capabilities) {
        settings.capabilities.addAll(Arrays.asList(capabilities));
        return self();
    }
}
