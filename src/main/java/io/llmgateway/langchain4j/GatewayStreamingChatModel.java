package io.llmgateway.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

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
public final class GatewayStreamingChatModel extends SettingsBackedModel implements StreamingChatModel {
    private final UpstreamChat chat;

    private GatewayStreamingChatModel(ModelSettings.Frozen settings) {
        super(settings);
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

    /** Unset values come from the configuration ({@code LLM_MODEL_NAME}, {@code LLM_TEMPERATURE}). */
    public static final class Builder extends ModelBuilder<Builder> {
        private Builder() {
        }

        public GatewayStreamingChatModel build() {
            return new GatewayStreamingChatModel(settings.freeze());
        }
    }
}
