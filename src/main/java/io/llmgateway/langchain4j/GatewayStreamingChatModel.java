package io.llmgateway.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A LangChain4j {@link StreamingChatModel} that talks to the OAuth2-protected upstream directly, in the application's own
 * JVM: tokens are refreshed, rotated and kept alive by the {@link GatewayUpstream} it uses (the JVM-wide
 * {@link GatewayUpstream#shared()} one unless given another). Messages, images, tools, sampling parameters and
 * JSON response formats map to the upstream's OpenAI protocol; failures map to LangChain4j's exception types.
 *
 * <pre>{@code
 * StreamingChatModel model = GatewayStreamingChatModel.fromEnv();
 * model.chat("Hello", handler); // onPartialResponse(...) per token, then onCompleteResponse(...)
 * }</pre>
 */
public final class GatewayStreamingChatModel implements StreamingChatModel {
    private final ModelSettings.Frozen settings;
    private final UpstreamChat chat;

    private GatewayStreamingChatModel(ModelSettings.Frozen settings) {
        this.settings = settings;
        this.chat = new UpstreamChat(settings.upstream());
    }

    /** A model configured from system properties, the environment and {@code .env}, on the shared upstream. */
    public static GatewayStreamingChatModel fromEnv() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the stream on a worker thread and returns at once; every callback of this stream runs on that
     * thread. The {@link dev.langchain4j.model.chat.response.StreamingHandle} in each partial callback's context
     * cancels it, aborting the upstream HTTP call.
     */
    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        StreamingCall call = new StreamingCall(chat, request, handler);
        try {
            settings.upstream().stream(call);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            StreamAssembler.error(handler, new IllegalStateException("The GatewayUpstream is closed", e));
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return settings.defaults();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return settings.listeners();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return settings.capabilities();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public String toString() {
        return "GatewayStreamingChatModel[" + settings.upstream() + "]";
    }

    /** Unset values come from the configuration ({@code LLM_MODEL_NAME}, {@code LLM_TEMPERATURE}). */
    public static final class Builder {
        private final ModelSettings settings = new ModelSettings();

        private Builder() {
        }

        /** The connection (tokens, HTTP client) to use; default {@link GatewayUpstream#shared()}. */
        public Builder upstream(GatewayUpstream upstream) {
            settings.upstream = upstream;
            return this;
        }

        public Builder modelName(String modelName) {
            settings.modelName(modelName);
            return this;
        }

        public Builder temperature(Double temperature) {
            settings.temperature(temperature);
            return this;
        }

        public Builder topP(Double topP) {
            settings.topP(topP);
            return this;
        }

        public Builder maxOutputTokens(Integer maxOutputTokens) {
            settings.maxOutputTokens(maxOutputTokens);
            return this;
        }

        public Builder stopSequences(List<String> stopSequences) {
            settings.stopSequences(stopSequences);
            return this;
        }

        public Builder toolChoice(ToolChoice toolChoice) {
            settings.toolChoice(toolChoice);
            return this;
        }

        public Builder responseFormat(ResponseFormat responseFormat) {
            settings.responseFormat(responseFormat);
            return this;
        }

        /** Any default parameters; they override what was set before. */
        public Builder defaultRequestParameters(ChatRequestParameters parameters) {
            settings.override(parameters);
            return this;
        }

        public Builder listeners(List<ChatModelListener> listeners) {
            settings.listeners.addAll(listeners);
            return this;
        }

        public Builder listeners(ChatModelListener... listeners) {
            return listeners(Arrays.asList(listeners));
        }

        /**
         * What the upstream's model supports beyond plain chat, e.g. {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}
         * (then AI Services ask for structured output as a JSON schema). Default none.
         */
        public Builder supportedCapabilities(Capability... capabilities) {
            settings.capabilities.addAll(Arrays.asList(capabilities));
            return this;
        }

        public GatewayStreamingChatModel build() {
            return new GatewayStreamingChatModel(settings.freeze());
        }
    }
}
