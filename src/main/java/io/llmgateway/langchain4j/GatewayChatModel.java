package io.llmgateway.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * A LangChain4j {@link ChatModel} that talks to the OAuth2-protected upstream directly, in the application's own
 * JVM: tokens are refreshed, rotated and kept alive by the {@link GatewayUpstream} it uses (the JVM-wide
 * {@link GatewayUpstream#shared()} one unless given another). Messages, images, tools, sampling parameters and
 * JSON response formats map to the upstream's OpenAI protocol; failures map to LangChain4j's exception types.
 *
 * <pre>{@code
 * ChatModel model = GatewayChatModel.fromEnv();
 * String answer = model.chat("Hello");
 * }</pre>
 */
public final class GatewayChatModel extends SettingsBackedModel implements ChatModel {
    private final UpstreamChat chat;

    private GatewayChatModel(ModelSettings.Frozen settings) {
        super(settings);
        this.chat = new UpstreamChat(settings.upstream());
    }

    /** A model configured from system properties, the environment and {@code .env}, on the shared upstream. */
    public static GatewayChatModel fromEnv() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return chat.chat(request);
    }

    /** Unset values come from the configuration ({@code LLM_MODEL_NAME}, {@code LLM_TEMPERATURE}). */
    public static final class Builder extends ModelBuilder<Builder> {
        private Builder() {
        }

        public GatewayChatModel build() {
            return new GatewayChatModel(settings.freeze());
        }
    }
}
