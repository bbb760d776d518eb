package io.llmgateway.langchain4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Json;
import java.util.List;

/**
 * A LangChain4j {@link ChatRequest} as an OpenAI chat completions body, the form the upstream speaks: system,
 * user (text and image parts), assistant (text and tool calls) and tool messages; sampling parameters; tools and
 * tool choice; JSON response formats. Configuration decides what the gateway decides for every dialect: the
 * name of the max-tokens field, its cap, and whether streams ask for usage.
 */
final class OpenAiRequests {
    private OpenAiRequests() {
    }

    /**
     * @param model the upstream model id (already resolved)
     * @throws UnsupportedFeatureException for what an OpenAI-compatible upstream cannot take (topK, audio, ...)
     */
    static ObjectNode body(ChatRequest request, String model, GatewayConfig config, boolean stream) {
        ChatRequestParameters parameters = request.parameters();
        if (parameters.topK() != null) {
            throw new UnsupportedFeatureException("'topK' parameter is not supported by OpenAI-compatible upstreams");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        request.messages().forEach(message -> messages.add(message(message)));
        putIfPresent(body, "temperature", parameters.temperature());
        putIfPresent(body, "top_p", parameters.topP());
        putIfPresent(body, "frequency_penalty", parameters.frequencyPenalty());
        putIfPresent(body, "presence_penalty", parameters.presencePenalty());
        Integer maxTokens = maxTokens(parameters.maxOutputTokens(), model, config);
        if (maxTokens != null) {
            body.put(config.maxTokensField(), maxTokens);
        }
        List<String> stop = parameters.stopSequences();
        if (stop != null && !stop.isEmpty()) {
            ArrayNode stops = body.putArray("stop");
            stop.forEach(stops::add);
        }
        tools(parameters, body);
        responseFormat(parameters.responseFormat(), body);
        if (stream) {
            body.put("stream", true);
            if (config.streamUsage()) {
                body.putObject("stream_options").put("include_usage", true);
            }
        }
        return body;
    }

    private static Integer maxTokens(Integer requested, String model, GatewayConfig config) {
        Integer cap = config.maxOutputTokens() == null ? null : config.maxOutputTokens().capFor(model);
        if (requested == null || cap == null || cap <= 0) {
            return requested;
        }
        return Math.min(requested, cap);
    }

    static ObjectNode message(ChatMessage message) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (message instanceof SystemMessage system) {
            node.put("role", "system").put("content", system.text());
        } else if (message instanceof UserMessage user) {
            node.put("role", "user");
            if (user.hasSingleText()) {
                node.put("content", user.singleText());
            } else {
                ArrayNode parts = node.putArray("content");
                user.contents().forEach(content -> parts.add(part(content)));
            }
            if (user.name() != null) {
                node.put("name", user.name());
            }
        } else if (message instanceof AiMessage ai) {
            node.put("role", "assistant");
            node.put("content", ai.text()); // null when the turn was only tool calls, as OpenAI sends it
            if (ai.hasToolExecutionRequests()) {
                ArrayNode calls = node.putArray("tool_calls");
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    ObjectNode callNode = calls.addObject();
                    callNode.put("id", call.id()).put("type", "function");
                    callNode.putObject("function").put("name", call.name())
                            .put("arguments", call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
                }
            }
        } else if (message instanceof ToolExecutionResultMessage result) {
            node.put("role", "tool").put("tool_call_id", result.id()).put("content", result.text());
        } else {
            throw new UnsupportedFeatureException("Chat messages of type " + message.type()
                    + " are not supported by OpenAI-compatible upstreams");
        }
        return node;
    }

    private static ObjectNode part(Content content) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        if (content instanceof TextContent text) {
            part.put("type", "text").put("text", text.text());
        } else if (content instanceof ImageContent image) {
            part.put("type", "image_url");
            ObjectNode url = part.putObject("image_url").put("url", imageUrl(image.image()));
            if (image.detailLevel() != null) {
                url.put("detail", switch (image.detailLevel()) {
                    case LOW -> "low";
                    case HIGH, ULTRA_HIGH -> "high";
                    default -> "auto";
                });
            }
        } else {
            throw new UnsupportedFeatureException("Content of type " + content.type()
                    + " is not supported: only text and images reach an OpenAI-compatible upstream");
        }
        return part;
    }

    private static String imageUrl(Image image) {
        if (image.url() != null) {
            return image.url().toString();
        }
        String mimeType = image.mimeType() == null ? "image/png" : image.mimeType();
        return "data:" + mimeType + ";base64," + image.base64Data();
    }

    private static void tools(ChatRequestParameters parameters, ObjectNode body) {
        List<ToolSpecification> tools = parameters.toolSpecifications();
        if (tools == null || tools.isEmpty()) {
            if (parameters.toolChoice() == ToolChoice.REQUIRED) {
                throw new UnsupportedFeatureException("ToolChoice.REQUIRED needs at least one tool specification");
            }
            return;
        }
        ArrayNode array = body.putArray("tools");
        for (ToolSpecification tool : tools) {
            ObjectNode function = array.addObject().put("type", "function").putObject("function");
            function.put("name", tool.name());
            if (tool.description() != null) {
                function.put("description", tool.description());
            }
            function.set("parameters", tool.parameters() == null
                    ? Json.MAPPER.createObjectNode().put("type", "object").set("properties", Json.MAPPER.createObjectNode())
                    : JsonSchemas.toJson(tool.parameters()));
            if (Boolean.TRUE.equals(tool.strict())) {
                function.put("strict", true);
            }
        }
        if (parameters.toolChoice() != null) {
            body.put("tool_choice", switch (parameters.toolChoice()) {
                case REQUIRED -> "required";
                case NONE -> "none";
                default -> "auto";
            });
        }
    }

    private static void responseFormat(ResponseFormat format, ObjectNode body) {
        if (format == null || format.type() == ResponseFormatType.TEXT) {
            return;
        }
        JsonSchema schema = format.jsonSchema();
        if (schema == null) {
            body.putObject("response_format").put("type", "json_object");
            return;
        }
        ObjectNode jsonSchema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        jsonSchema.put("name", schema.name() == null ? "response" : schema.name());
        jsonSchema.set("schema", JsonSchemas.toJson(schema.rootElement()));
    }

    private static void putIfPresent(ObjectNode body, String field, Double value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
