package io.llmgateway.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/** An OpenAI {@code chat.completion} (or the parts a stream delivered) as a LangChain4j {@link ChatResponse}. */
final class OpenAiResponses {
    private OpenAiResponses() {
    }

    static ChatResponse chatResponse(JsonNode completion) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ToolExecutionRequest> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(ToolExecutionRequest.builder()
                    .id(call.path("id").textValue())
                    .name(call.path("function").path("name").textValue())
                    .arguments(call.path("function").path("arguments").asText("{}"))
                    .build());
        }
        return response(text(message.path("content")), reasoning(message), calls,
                completion.path("id").textValue(), completion.path("model").textValue(),
                choice.path("finish_reason").textValue(), completion.path("usage"));
    }

    static ChatResponse response(String text, String thinking, List<ToolExecutionRequest> calls, String id,
            String model, String finishReason, JsonNode usage) {
        AiMessage.Builder message = AiMessage.builder()
                .text(text == null || text.isEmpty() ? null : text)
                .thinking(thinking == null || thinking.isEmpty() ? null : thinking);
        if (!calls.isEmpty()) {
            message.toolExecutionRequests(calls);
        }
        return ChatResponse.builder()
                .aiMessage(message.build())
                .metadata(ChatResponseMetadata.builder()
                        .id(id)
                        .modelName(model)
                        .tokenUsage(tokenUsage(usage))
                        .finishReason(finishReason(finishReason))
                        .build())
                .build();
    }

    /** The text of an assistant message: a string, or the text parts of a content-part array. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText("")));
            return text.toString();
        }
        return null;
    }

    /** Reasoning text as LiteLLM and OpenAI-compatible servers put it: {@code reasoning_content} or {@code reasoning}. */
    static String reasoning(JsonNode messageOrDelta) {
        JsonNode reasoning = messageOrDelta.path("reasoning_content");
        if (!reasoning.isTextual()) {
            reasoning = messageOrDelta.path("reasoning");
        }
        return reasoning.isTextual() ? reasoning.asText() : null;
    }

    static FinishReason finishReason(String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_EXECUTION;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    static TokenUsage tokenUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        Integer input = integer(usage.path("prompt_tokens"));
        Integer output = integer(usage.path("completion_tokens"));
        Integer total = integer(usage.path("total_tokens"));
        if (total == null && input != null && output != null) {
            total = input + output;
        }
        return new TokenUsage(input, output, total);
    }

    private static Integer integer(JsonNode node) {
        return node.canConvertToInt() ? node.asInt() : null;
    }
}
