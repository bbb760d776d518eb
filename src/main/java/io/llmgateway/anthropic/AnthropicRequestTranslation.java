package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An Anthropic Messages request translated for an OpenAI Chat Completions upstream.
 *
 * @param openAiRequest the chat completions body, ready for healing and sending
 * @param toolNames     the tool names as sent upstream, to restore the client's names in the response
 * @param stream        whether the client asked for a stream
 * @param stopSequences the client's {@code stop_sequences} (empty when none), to report which one matched
 */
record AnthropicRequestTranslation(ObjectNode openAiRequest, ToolNames toolNames, boolean stream,
        List<String> stopSequences) {

    AnthropicRequestTranslation {
        stopSequences = List.copyOf(stopSequences);
    }
}
