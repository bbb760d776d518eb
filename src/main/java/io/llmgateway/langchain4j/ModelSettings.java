package io.llmgateway.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.upstream.UpstreamStack;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What both model builders collect. Default request parameters are the configuration's
 * ({@code LLM_MODEL_NAME}, {@code LLM_TEMPERATURE}, read per request so a changed {@code .env} applies)
 * overridden by whatever was set in code.
 */
final class ModelSettings {
    GatewayUpstream upstream;
    private ChatRequestParameters explicit = DefaultChatRequestParameters.EMPTY;
    final List<ChatModelListener> listeners = new ArrayList<>();
    final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);

    void override(ChatRequestParameters parameters) {
        explicit = explicit.overrideWith(parameters);
    }

    void modelName(String modelName) {
        override(ChatRequestParameters.builder().modelName(modelName).build());
    }

    void temperature(Double temperature) {
        override(ChatRequestParameters.builder().temperature(temperature).build());
    }

    void topP(Double topP) {
        override(ChatRequestParameters.builder().topP(topP).build());
    }

    void maxOutputTokens(Integer maxOutputTokens) {
        override(ChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build());
    }

    void stopSequences(List<String> stopSequences) {
        override(ChatRequestParameters.builder().stopSequences(stopSequences).build());
    }

    void toolChoice(ToolChoice toolChoice) {
        override(ChatRequestParameters.builder().toolChoice(toolChoice).build());
    }

    void responseFormat(ResponseFormat responseFormat) {
        override(ChatRequestParameters.builder().responseFormat(responseFormat).build());
    }

    /** Frozen for one model: the upstream (the shared one unless set) and a copy of everything else. */
    Frozen freeze() {
        return new Frozen(upstream != null ? upstream : GatewayUpstream.shared(), explicit, List.copyOf(listeners),
                Set.copyOf(capabilities));
    }

    record Frozen(GatewayUpstream upstream, ChatRequestParameters explicit, List<ChatModelListener> listeners,
            Set<Capability> capabilities) {

        ChatRequestParameters defaults() {
            GatewayConfig config = upstream.config();
            ChatRequestParameters configured = ChatRequestParameters.builder()
                    .modelName(upstream.demo() ? UpstreamStack.DEMO_MODEL : config.defaultModel())
                    .temperature(config.temperature())
                    .build();
            return configured.overrideWith(explicit);
        }
    }
}
