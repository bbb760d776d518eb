package io.llmgateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated model: turns an OpenAI chat completions request into a deterministic {@link DemoAnswer}.
 * Pure (no I/O, no clock): the caller supplies the id and the creation time.
 */
final class DemoChat {

    static final String DEFAULT_MODEL = "demo-model";
    static final String LABEL =
            "(Simulated answer from the LLM OAuth Gateway demo upstream — no real model is configured.)";
    /** Characters of user or tool text echoed back before it is cut with an ellipsis. */
    static final int ECHO_LIMIT = 200;
    /** Tool calls made when the user asks for parallel calls: enough to exercise clients' index handling. */
    static final int PARALLEL_CALLS = 2;

    /** Gives chat UIs some markdown to render. */
    private static final String MARKDOWN_SAMPLE = """
            Here is what a real answer could contain:

            - **bold** and *italic* text
            - a list like this one
            - `inline code`

            ```java
            System.out.println("Hello from the demo upstream");
            ```""";
    private static final Pattern WORD_WITH_LEADING_SPACE = Pattern.compile("\\s*\\S+|\\s+");
    private static final Pattern PARALLEL_WORD = Pattern.compile("(?i)\\bparallel\\b");
    /** Schemas are caller-supplied; this keeps placeholder generation bounded on deep or odd schemas. */
    private static final int MAX_SCHEMA_DEPTH = 16;

    private DemoChat() {
    }

    /**
     * @param idSuffix random part of the completion id, also used to make tool call ids unique
     * @param created  epoch seconds reported as {@code created}
     * @throws InvalidRequest when the request is not something an OpenAI server would accept
     */
    static DemoAnswer answer(JsonNode request, String idSuffix, long created) throws InvalidRequest {
        if (request == null || !request.isObject()) {
            throw new InvalidRequest("The request body must be a JSON object.", null);
        }
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequest("'messages' must be a non-empty array.", "messages");
        }
        for (JsonNode message : messages) {
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw new InvalidRequest("Every message must be an object with a 'role'.", "messages");
            }
        }
        JsonNode modelNode = request.path("model");
        String model = modelNode.isTextual() && !modelNode.asText().isBlank() ? modelNode.asText() : DEFAULT_MODEL;
        boolean stream = request.path("stream").asBoolean(false);
        boolean includeUsage = stream && request.path("stream_options").path("include_usage").asBoolean(false);
        Integer maxTokens = maxTokens(request);
        List<String> stops = stops(request.get("stop"));
        int promptTokens = promptTokens(messages);
        String id = "chatcmpl-demo-" + idSuffix;

        JsonNode last = messages.get(messages.size() - 1);
        String lastRole = last.get("role").asText();
        String userText = lastUserText(messages);
        if ("user".equals(lastRole) && toolsRequested(request)) {
            JsonNode tool = chosenTool(request);
            String name = tool.path("function").path("name").asText();
            String arguments = toJson(arguments(tool.path("function").path("parameters")));
            boolean parallelAllowed = request.path("parallel_tool_calls").asBoolean(true);
            int count = parallelAllowed && PARALLEL_WORD.matcher(userText).find() ? PARALLEL_CALLS : 1;
            List<DemoAnswer.ToolCall> calls = new ArrayList<>();
            int completionTokens = 0;
            for (int index = 0; index < count; index++) {
                calls.add(new DemoAnswer.ToolCall("call_demo_" + idSuffix + "_" + index, name, arguments));
                completionTokens += estimateTokens(name.length() + arguments.length());
            }
            return new DemoAnswer(id, created, model, null, List.of(), calls, "tool_calls", promptTokens,
                    completionTokens, stream, includeUsage);
        }

        String text = "tool".equals(lastRole)
                ? LABEL + " The tool returned: «" + truncate(text(last.get("content"))) + "». "
                        + "A real model would now use that result to answer you."
                : LABEL + " You said: «" + truncate(userText) + "».\n\n" + MARKDOWN_SAMPLE;
        if ("user".equals(lastRole)) {
            text = DemoScripts.answer(messages, userText).orElse(text);
        }
        String finishReason = "stop";
        int stopAt = firstStop(text, stops);
        if (stopAt >= 0) {
            text = text.substring(0, stopAt);
        }
        List<String> words = words(text);
        // One word is one token, so max_tokens cuts exactly where a client would expect and usage agrees.
        if (maxTokens != null && words.size() > maxTokens) {
            words = words.subList(0, maxTokens);
            finishReason = "length";
        }
        return new DemoAnswer(id, created, model, String.join("", words), List.copyOf(words), List.of(),
                finishReason, promptTokens, words.size(), stream, includeUsage);
    }

    /** Splits text into words that each carry their leading whitespace; joined they give the text back. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD_WITH_LEADING_SPACE.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** Tool call arguments for a function's {@code parameters} schema: always a JSON object. */
    static ObjectNode arguments(JsonNode parameters) {
        return objectPlaceholder(parameters, 0);
    }

    /** Placeholder value for a schema: its const, its first enum value, or a fixed value per type. */
    private static JsonNode placeholder(JsonNode schema, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (schema.has("const")) {
            return schema.get("const");
        }
        JsonNode enumValues = schema.path("enum");
        if (enumValues.isArray() && !enumValues.isEmpty()) {
            return enumValues.get(0);
        }
        switch (type(schema)) {
            case "object":
                return objectPlaceholder(schema, depth);
            case "integer":
            case "number":
                return nodes.numberNode(1);
            case "boolean":
                return nodes.booleanNode(true);
            case "array":
                return nodes.arrayNode();
            case "null":
                return nodes.nullNode();
            default:
                return nodes.textNode("demo");
        }
    }

    /** An object holding only the schema's {@code required} properties, each with its placeholder. */
    private static ObjectNode objectPlaceholder(JsonNode schema, int depth) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        if (depth < MAX_SCHEMA_DEPTH) {
            for (JsonNode required : schema.path("required")) {
                String property = required.asText();
                object.set(property, placeholder(schema.path("properties").path(property), depth + 1));
            }
        }
        return object;
    }

    /** The schema's type, the first non-null one of a type list; untyped means object if it has properties. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isTextual()) {
            return type.asText();
        }
        for (JsonNode candidate : type) {
            if (candidate.isTextual() && !"null".equals(candidate.asText())) {
                return candidate.asText();
            }
        }
        return schema.has("properties") || schema.has("required") ? "object" : "string";
    }

    private static boolean toolsRequested(JsonNode request) {
        JsonNode tools = request.path("tools");
        JsonNode toolChoice = request.path("tool_choice");
        return tools.isArray() && !tools.isEmpty() && !"none".equals(toolChoice.asText());
    }

    private static JsonNode chosenTool(JsonNode request) throws InvalidRequest {
        JsonNode tools = request.get("tools");
        JsonNode toolChoice = request.path("tool_choice");
        JsonNode tool = tools.get(0);
        if (toolChoice.isObject()) {
            String wanted = toolChoice.path("function").path("name").asText();
            tool = null;
            for (JsonNode candidate : tools) {
                if (candidate.path("function").path("name").asText().equals(wanted)) {
                    tool = candidate;
                    break;
                }
            }
            if (tool == null) {
                throw new InvalidRequest("'tool_choice' names a function that is not in 'tools': " + wanted,
                        "tool_choice");
            }
        }
        JsonNode name = tool.path("function").path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw new InvalidRequest("Every tool must be a function with a 'name'.", "tools");
        }
        return tool;
    }

    private static Integer maxTokens(JsonNode request) throws InvalidRequest {
        String param = request.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        JsonNode limit = request.get(param);
        if (limit == null || limit.isNull()) {
            return null;
        }
        if (!limit.canConvertToExactIntegral() || !limit.canConvertToInt() || limit.asInt() < 1) {
            throw new InvalidRequest("'" + param + "' must be a positive integer.", param);
        }
        return limit.asInt();
    }

    private static List<String> stops(JsonNode stop) {
        List<String> stops = new ArrayList<>();
        if (stop != null && stop.isTextual()) {
            stops.add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            stop.forEach(each -> stops.add(each.asText()));
        }
        stops.removeIf(String::isEmpty);
        return stops;
    }

    private static int firstStop(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).get("role").asText())) {
                return text(messages.get(i).get("content"));
            }
        }
        return "";
    }

    /** Text of a message content: a string, or the text parts of a content-part array. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(text.length() > 0 ? "\n" : "").append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        return content.asText();
    }

    /** About four characters per token, counting message texts and earlier tool calls. */
    private static int promptTokens(JsonNode messages) {
        int chars = 0;
        for (JsonNode message : messages) {
            chars += text(message.get("content")).length();
            for (JsonNode call : message.path("tool_calls")) {
                chars += call.path("function").path("name").asText().length();
                chars += call.path("function").path("arguments").asText().length();
            }
        }
        return estimateTokens(chars);
    }

    private static int estimateTokens(int chars) {
        return Math.max(1, (chars + 3) / 4);
    }

    static String truncate(String text) {
        if (text.length() <= ECHO_LIMIT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
        return text.substring(0, end) + "…";
    }

    private static String toJson(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request an OpenAI server would reject with 400 {@code invalid_request_error}. */
    static final class InvalidRequest extends Exception {
        private static final long serialVersionUID = 1L;
        private final String param;

        InvalidRequest(String message, String param) {
            super(message);
            this.param = param;
        }

        /** The offending request field, or null. */
        String param() {
            return param;
        }
    }
}
