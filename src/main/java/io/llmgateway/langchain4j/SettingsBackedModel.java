package io.llmgateway.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import java.util.Set;

/** What both models answer from their frozen settings: defaults, listeners, capabilities, provider. */
abstract class SettingsBackedModel {
    final ModelSettings.Frozen settings;

    SettingsBackedModel(ModelSettings.Frozen settings) {
        this.settings = settings;
    }

    public ChatRequestParameters defaultRequestParameters() {
        return settings.defaults();
    }

    public List<ChatModelListener> listeners() {
        return settings.listeners();
    }

    public Set<Capability> supportedCapabilities() {
        return settings.capabilities();
    }

    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + settings.upstream() + "]";
    }
}
