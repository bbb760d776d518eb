package io.llmgateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated model: turns an OpenAI chat completions request into a deterministic {@link DemoAnswer}.
 * Pure (no I/O, no clock): the caller supplies the id and the creation time.
 */
final class DemoChat {

    static final String DEFAULT_MODEL = "demo-model";
    /** The models the simulator lists (any name is answered). */
    static final List<String> MODELS = List.of("demo-model", "demo-model-mini");
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
        List<String> places = DemoFacts.places(userText);
        if ("user".equals(lastRole) && toolsRequested(request)) {
            boolean parallelAllowed = request.path("parallel_tool_calls").asBoolean(true);
            int count = parallelAllowed && PARALLEL_WORD.matcher(userText).find() ? PARALLEL_CALLS : 1;
            List<JsonNode> targets = calledTools(request, count);
            List<DemoAnswer.ToolCall> calls = new ArrayList<>();
            int completionTokens = 0;
            for (int index = 0; index < count; index++) {
                JsonNode tool = targets.get(index);
                String name = tool.path("function").path("name").asText();
                // Each call takes the places named from its own position on: "weather in Munich and time in France"
                String arguments = toJson(arguments(tool.path("function").path("parameters"),
                        places.subList(Math.min(index, places.size()), places.size())));
                calls.add(new DemoAnswer.ToolCall("call_demo_" + idSuffix + "_" + index, name, arguments));
                completionTokens += estimateTokens(name.length() + arguments.length());
            }
            return new DemoAnswer(id, created, model, null, List.of(), calls, "tool_calls", promptTokens,
                    completionTokens, stream, includeUsage);
        }

        List<String> toolResults = trailingToolResults(messages);
        DemoFacts.Fact fact = "user".equals(lastRole)
                ? DemoFacts.answer(userText, earlierUserTexts(messages), systemText(messages)).orElse(null) : null;
        String formatType = request.path("response_format").path("type").asText("");
        String text;
        if (formatType.equals("json_schema") || formatType.equals("json_object")) {
            text = jsonAnswer(request.path("response_format"), fact, places, userText,
                    toolResults.isEmpty() ? text(last.get("content")) : String.join("\n", toolResults));
        } else if (toolResults.size() == 1) {
            text = LABEL + " The tool returned: «" + truncate(toolResults.get(0)) + "». "
                    + "A real model would now use that result to answer you.";
        } else if (!toolResults.isEmpty()) {
            text = LABEL + " The tools returned: " + String.join(", ", toolResults.stream()
                    .map(result -> "«" + truncate(result) + "»").toList())
                    + ". A real model would now use those results to answer you.";
        } else if (fact != null) {
            text = LABEL + " " + fact.sentence();
        } else {
            text = LABEL + " You said: «" + truncate(userText) + "».\n\n" + MARKDOWN_SAMPLE;
        }
        if ("user".equals(lastRole) && fact == null && !formatType.startsWith("json")) {
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
        return arguments(parameters, List.of());
    }

    /**
     * As {@link #arguments(JsonNode)}, string properties taking the given places in order; an optional plain
     * string property is filled only while a place is left (as a model fills "city" from "weather in Munich").
     */
    static ObjectNode arguments(JsonNode parameters, List<String> places) {
        return objectPlaceholder(parameters, 0, new Hints(places.iterator(), null, "", false));
    }

    /**
     * Where placeholder values come from.
     *
     * @param places        names for string values, used up in order
     * @param stringValue   the value of every other string (a fact's value in a JSON answer), or null
     * @param context       text in which an enum value that is mentioned is preferred
     * @param allProperties whether optional properties are filled too (JSON answers) or only required ones
     */
    private record Hints(Iterator<String> places, String stringValue, String context, boolean allProperties) {
    }

    /** Placeholder value for a schema: its const, an enum value, or a value per type from the hints. */
    private static JsonNode placeholder(JsonNode schema, int depth, Hints hints) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (schema.has("const")) {
            return schema.get("const");
        }
        JsonNode enumValues = schema.path("enum");
        if (enumValues.isArray() && !enumValues.isEmpty()) {
            for (JsonNode value : enumValues) {
                if (value.isTextual() && !value.asText().isEmpty()
                        && hints.context().toLowerCase(Locale.ROOT).contains(value.asText().toLowerCase(Locale.ROOT))) {
                    return value;
                }
            }
            return enumValues.get(0);
        }
        switch (type(schema)) {
            case "object":
                return objectPlaceholder(schema, depth, hints);
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
                if (hints.places().hasNext()) {
                    return nodes.textNode(hints.places().next());
                }
                return nodes.textNode(hints.stringValue() != null ? hints.stringValue() : "demo");
        }
    }

    /**
     * An object holding the schema's {@code required} properties (all of them when the hints say so), each with
     * its placeholder, plus optional plain strings while places are left.
     */
    private static ObjectNode objectPlaceholder(JsonNode schema, int depth, Hints hints) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        if (depth < MAX_SCHEMA_DEPTH) {
            Set<String> required = new LinkedHashSet<>();
            schema.path("required").forEach(name -> required.add(name.asText()));
            JsonNode properties = schema.path("properties");
            properties.fieldNames().forEachRemaining(property -> {
                JsonNode propertySchema = properties.get(property);
                boolean plainString = "string".equals(type(propertySchema)) && !propertySchema.has("enum")
                        && !propertySchema.has("const");
                if (required.contains(property) || hints.allProperties()
                        || (plainString && hints.places().hasNext())) {
                    object.set(property, placeholder(propertySchema, depth + 1, hints));
                }
            });
            for (String property : required) {
                if (!object.has(property)) {
                    object.set(property, placeholder(properties.path(property), depth + 1, hints));
                }
            }
        }
        return object;
    }

    /**
     * The text of an answer in JSON mode, pretty-printed so that it streams in several pieces: for a
     * {@code json_schema}, a value of the schema; for {@code json_object}, one field (the one the prompt names,
     * else "answer") holding the fact's value or the usual echo.
     */
    private static String jsonAnswer(JsonNode responseFormat, DemoFacts.Fact fact, List<String> places,
            String userText, String lastText) {
        JsonNode value;
        if ("json_schema".equals(responseFormat.path("type").asText())) {
            JsonNode schema = responseFormat.path("json_schema").path("schema");
            value = placeholder(schema, 0, new Hints(places.iterator(), fact == null ? null : fact.value(),
                    lastText, true));
        } else {
            String field = DemoFacts.requestedJsonField(userText);
            value = JsonNodeFactory.instance.objectNode().put(field == null ? "answer" : field,
                    fact != null ? fact.value() : LABEL + " You said: «" + truncate(lastText) + "».");
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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

    /**
     * The tools the calls go to: the chosen one, or, for parallel calls without a named tool choice and with
     * several tools offered, one call to each of the first tools (as "weather and time, in parallel" would).
     */
    private static List<JsonNode> calledTools(JsonNode request, int count) throws InvalidRequest {
        JsonNode tools = request.get("tools");
        List<JsonNode> targets = new ArrayList<>();
        if (count > 1 && !request.path("tool_choice").isObject() && tools.size() >= count) {
            for (int index = 0; index < count; index++) {
                JsonNode name = tools.get(index).path("function").path("name");
                if (!name.isTextual() || name.asText().isBlank()) {
                    throw new InvalidRequest("Every tool must be a function with a 'name'.", "tools");
                }
                targets.add(tools.get(index));
            }
            return targets;
        }
        JsonNode tool = chosenTool(request);
        for (int index = 0; index < count; index++) {
            targets.add(tool);
        }
        return targets;
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

    /** The user messages before the last one, oldest first. */
    private static List<String> earlierUserTexts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < messages.size() - 1; i++) {
            if ("user".equals(messages.get(i).get("role").asText())) {
                texts.add(text(messages.get(i).get("content")));
            }
        }
        return texts;
    }

    private static String systemText(JsonNode messages) {
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages) {
            String role = message.get("role").asText();
            if ("system".equals(role) || "developer".equals(role)) {
                text.append(text(message.get("content"))).append('\n');
            }
        }
        return text.toString();
    }

    /** The contents of the tool messages that end the conversation, in order (empty when it ends otherwise). */
    private static List<String> trailingToolResults(JsonNode messages) {
        List<String> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).get("role").asText()); i--) {
            results.add(0, text(messages.get(i).get("content")));
        }
        return results;
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
