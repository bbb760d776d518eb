package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.config.ReasoningBucket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Translates an Anthropic Messages request into an OpenAI Chat Completions request (DESIGN §7).
 *
 * <p>Choices worth knowing:
 * <ul>
 * <li>System text (top-level {@code system} and {@code role:"system"} entries in {@code messages}) becomes a
 * system message with <em>string</em> content, text blocks joined with a blank line: many OpenAI-compatible
 * upstreams accept only strings in system messages. A user turn made only of text is sent the same way; a
 * user turn with images or files is sent as content parts, one per block.</li>
 * <li>{@code tool_result} blocks become {@code tool} messages placed before the rest of their user turn, as
 * OpenAI wants results right after the assistant's tool calls. Images in tool results (tool messages carry
 * none) travel in the user message that follows, ahead of the turn's own content, and the tool message says
 * so.</li>
 * <li>An assistant turn with neither text nor tool calls is dropped (OpenAI rejects such a message).</li>
 * <li>Only fields with a known OpenAI meaning are sent. Unknown top-level fields are dropped (and logged at
 * debug): unlike the OpenAI pass-through, which keeps unknown fields for the upstream that speaks the same
 * dialect, the translator cannot know what an unknown Anthropic field means in OpenAI terms. The same holds
 * inside blocks: {@code cache_control}, {@code citations}, {@code defer_loading} and the like are never
 * copied, because every output object is built afresh; only tool input schemas are taken whole. They are shared
 * with the client's tree rather than copied (copying them was two thirds of translating a Claude Code request):
 * neither tree is changed once translated, and the healer copies what it changes.</li>
 * <li>Block {@code type}s are open strings: an unknown block carrying a {@code text} string is passed on as
 * text, any other unknown block is dropped with a debug log.</li>
 * <li>Unanswered tool calls are left as they are: the conversation healer repairs them later.</li>
 * </ul>
 */
final class AnthropicRequestTranslator {
    private static final Logger LOG = Logger.getLogger(AnthropicRequestTranslator.class.getName());

    /** Claude Code's first system block; it changes every request and would defeat upstream prompt caching. */
    static final String BILLING_HEADER_PREFIX = "x-anthropic-billing-header:";
    /** {@code metadata.user_id} is cut to this length for OpenAI's {@code user}. */
    static final int MAX_USER_LENGTH = 256;
    static final String TEXT_SEPARATOR = "\n\n";

    /** Top-level fields the translator reads; every other top-level field is dropped. */
    private static final Set<String> TRANSLATED_FIELDS = Set.of("model", "messages", "system", "max_tokens",
            "stop_sequences", "stream", "temperature", "top_p", "metadata", "tools", "tool_choice", "thinking");

    private final TranslationSettings settings;
    private final ToolNames toolNames = new ToolNames();
    private final ArrayNode messages = Json.MAPPER.createArrayNode();

    private AnthropicRequestTranslator(TranslationSettings settings) {
        this.settings = settings;
    }

    /**
     * @param anthropicRequest       the client's body
     * @param upstreamModel          the already-resolved upstream model id, sent as {@code model}
     * @param catalogMaxOutputTokens the model's output limit from the catalog, or null when unknown
     * @throws AnthropicRequestException when the request is malformed; the message names the field
     */
    static AnthropicRequestTranslation translate(JsonNode anthropicRequest, String upstreamModel,
            Integer catalogMaxOutputTokens, TranslationSettings settings) throws AnthropicRequestException {
        if (anthropicRequest == null || !anthropicRequest.isObject()) {
            throw new AnthropicRequestException(null, "The request body must be a JSON object");
        }
        return new AnthropicRequestTranslator(settings).run(anthropicRequest, upstreamModel, catalogMaxOutputTokens);
    }

    private AnthropicRequestTranslation run(JsonNode request, String upstreamModel, Integer catalogMax)
            throws AnthropicRequestException {
        JsonNode maxTokens = maxTokens(request.get("max_tokens"), upstreamModel, catalogMax);
        JsonNode inputMessages = request.get("messages");
        if (isAbsent(inputMessages)) {
            throw new AnthropicRequestException("messages", "Field required");
        }
        if (!inputMessages.isArray()) {
            throw new AnthropicRequestException("messages", "Input should be a valid list");
        }
        if (inputMessages.isEmpty()) {
            throw new AnthropicRequestException("messages", "at least one message is required");
        }
        boolean stream = optionalBoolean(request, "stream");
        List<String> stop = stopSequences(request.get("stop_sequences"));

        ObjectNode openAi = Json.MAPPER.createObjectNode();
        openAi.put("model", upstreamModel);
        String system = systemText(request.get("system"), "system");
        if (!system.isEmpty()) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (int i = 0; i < inputMessages.size(); i++) {
            message(inputMessages.get(i), "messages." + i);
        }
        boolean anyTurn = false;
        for (JsonNode message : messages) {
            anyTurn |= !"system".equals(message.path("role").asText());
        }
        if (!anyTurn) {
            // Only empty turns: the upstream would answer a 400 of its own; say what is wrong in Anthropic's terms.
            throw new AnthropicRequestException("messages", "at least one message with non-empty content is required");
        }
        openAi.set("messages", messages);
        openAi.set(maxTokensField(), maxTokens);
        copyNumber(request, "temperature", openAi);
        copyNumber(request, "top_p", openAi);
        if (!stop.isEmpty()) {
            ArrayNode stopNode = openAi.putArray("stop");
            stop.forEach(stopNode::add);
        }
        if (stream) {
            openAi.put("stream", true);
            if (settings.streamUsage()) {
                openAi.putObject("stream_options").put("include_usage", true);
            }
        }
        tools(request, openAi);
        reasoningEffort(request.get("thinking"), openAi);
        user(request.get("metadata"), openAi);
        logDroppedFields(request);
        return new AnthropicRequestTranslation(openAi, toolNames, stream, stop);
    }

    // ---- top-level scalars -------------------------------------------------------------------------------

    /**
     * The client's own {@code max_tokens} node when no cap lowers it, so it goes upstream digit for digit without a
     * detour through BigInteger; otherwise the cap.
     */
    private JsonNode maxTokens(JsonNode node, String upstreamModel, Integer catalogMax)
            throws AnthropicRequestException {
        if (isAbsent(node)) {
            throw new AnthropicRequestException("max_tokens", "Field required");
        }
        if (!node.isIntegralNumber()) {
            throw new AnthropicRequestException("max_tokens", "Input should be a valid integer");
        }
        boolean fitsLong = node.canConvertToLong();
        if (fitsLong ? node.longValue() <= 0 : node.bigIntegerValue().signum() <= 0) {
            throw new AnthropicRequestException("max_tokens", "Input should be greater than or equal to 1");
        }
        Integer configured = settings.maxOutputTokens() == null ? null : settings.maxOutputTokens().capFor(upstreamModel);
        int cap = lowerPositive(configured, catalogMax);
        if (cap > 0 && (!fitsLong || node.longValue() > cap)) {
            LOG.fine(() -> "max_tokens " + node + " capped to " + cap + " for " + upstreamModel);
            return IntNode.valueOf(cap);
        }
        return node;
    }

    /** The lower of two caps, ignoring absent and non-positive ones; 0 when neither applies. */
    private static int lowerPositive(Integer first, Integer second) {
        int a = first == null || first <= 0 ? Integer.MAX_VALUE : first;
        int b = second == null || second <= 0 ? Integer.MAX_VALUE : second;
        int lower = Math.min(a, b);
        return lower == Integer.MAX_VALUE ? 0 : lower;
    }

    private String maxTokensField() {
        String field = settings.maxTokensField();
        return field == null || field.isBlank() ? "max_tokens" : field;
    }

    private static boolean optionalBoolean(JsonNode request, String field) throws AnthropicRequestException {
        JsonNode node = request.get(field);
        if (isAbsent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new AnthropicRequestException(field, "Input should be a valid boolean");
        }
        return node.booleanValue();
    }

    private static void copyNumber(JsonNode request, String field, ObjectNode openAi) throws AnthropicRequestException {
        JsonNode node = request.get(field);
        if (isAbsent(node)) {
            return;
        }
        if (!node.isNumber()) {
            throw new AnthropicRequestException(field, "Input should be a valid number");
        }
        openAi.set(field, node);
    }

    private static List<String> stopSequences(JsonNode node) throws AnthropicRequestException {
        if (isAbsent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new AnthropicRequestException("stop_sequences", "Input should be a valid list");
        }
        List<String> stop = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new AnthropicRequestException("stop_sequences." + i, "Input should be a valid string");
            }
            stop.add(node.get(i).textValue());
        }
        return stop;
    }

    private void reasoningEffort(JsonNode thinking, ObjectNode openAi) throws AnthropicRequestException {
        if (isAbsent(thinking)) {
            return;
        }
        if (!thinking.isObject()) {
            throw new AnthropicRequestException("thinking", "Input should be an object");
        }
        String type = thinking.path("type").asText("");
        String effort = null;
        switch (type) {
            case "enabled" -> {
                JsonNode budget = thinking.get("budget_tokens");
                if (isAbsent(budget)) {
                    throw new AnthropicRequestException("thinking.enabled.budget_tokens", "Field required");
                }
                if (!budget.isIntegralNumber() || !budget.canConvertToInt()) {
                    throw new AnthropicRequestException("thinking.enabled.budget_tokens", "Input should be a valid integer");
                }
                if (settings.reasoningBuckets() != null && !settings.reasoningBuckets().isEmpty()) {
                    effort = ReasoningBucket.effortFor(settings.reasoningBuckets(), budget.intValue());
                }
            }
            case "adaptive" -> effort = settings.adaptiveReasoningEffort();
            case "disabled" -> {
                // no reasoning_effort: the upstream model's default applies
            }
            default -> LOG.fine(() -> "ignored thinking of unknown type " + type);
        }
        if (settings.reasoningEffortEnabled() && effort != null && !effort.isBlank()) {
            openAi.put("reasoning_effort", effort);
        }
    }

    private static void user(JsonNode metadata, ObjectNode openAi) throws AnthropicRequestException {
        if (isAbsent(metadata)) {
            return;
        }
        if (!metadata.isObject()) {
            throw new AnthropicRequestException("metadata", "Input should be an object");
        }
        JsonNode userId = metadata.get("user_id");
        if (isAbsent(userId)) {
            return;
        }
        if (!userId.isTextual()) {
            throw new AnthropicRequestException("metadata.user_id", "Input should be a valid string");
        }
        String user = userId.textValue();
        if (!user.isEmpty()) {
            openAi.put("user", user.length() <= MAX_USER_LENGTH ? user : user.substring(0, MAX_USER_LENGTH));
        }
    }

    private static void logDroppedFields(JsonNode request) {
        if (!LOG.isLoggable(Level.FINE)) {
            return;
        }
        Set<String> dropped = new TreeSet<>();
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TRANSLATED_FIELDS.contains(name)) {
                dropped.add(name);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.fine("dropped Anthropic fields without an OpenAI translation: " + dropped);
        }
    }

    // ---- system ------------------------------------------------------------------------------------------

    /** System text as one string (blocks joined by a blank line), billing header removed when configured. */
    private String systemText(JsonNode system, String path) throws AnthropicRequestException {
        if (isAbsent(system)) {
            return "";
        }
        if (system.isTextual()) {
            return withoutBillingHeaderLine(system.textValue());
        }
        if (!system.isArray()) {
            throw new AnthropicRequestException(path, "Input should be a valid string or a list of text blocks");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = block(system.get(i), path + "." + i);
            String type = typeOf(block);
            JsonNode text = block.get("text");
            if (text == null || !text.isTextual()) {
                if ("text".equals(type)) {
                    throw new AnthropicRequestException(path + "." + i + ".text", "Field required");
                }
                LOG.fine(() -> "dropped a system block of type " + type);
                continue;
            }
            if (settings.stripBillingHeader() && text.textValue().startsWith(BILLING_HEADER_PREFIX)) {
                LOG.fine("removed the billing header system block");
                continue;
            }
            if (!text.textValue().isEmpty()) {
                texts.add(text.textValue());
            }
        }
        return String.join(TEXT_SEPARATOR, texts);
    }

    /** A string system prompt that opens with the billing header loses that first line. */
    private String withoutBillingHeaderLine(String text) {
        if (!settings.stripBillingHeader() || !text.startsWith(BILLING_HEADER_PREFIX)) {
            return text;
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? "" : text.substring(newline + 1).strip();
    }

    // ---- messages ----------------------------------------------------------------------------------------

    private void message(JsonNode message, String path) throws AnthropicRequestException {
        if (message == null || !message.isObject()) {
            throw new AnthropicRequestException(path, "Input should be an object");
        }
        JsonNode role = message.get("role");
        if (isAbsent(role)) {
            throw new AnthropicRequestException(path + ".role", "Field required");
        }
        JsonNode content = message.get("content");
        if (isAbsent(content)) {
            throw new AnthropicRequestException(path + ".content", "Field required");
        }
        if (!content.isTextual() && !content.isArray()) {
            throw new AnthropicRequestException(path + ".content", "Input should be a valid string or a list of content blocks");
        }
        switch (role.asText()) {
            case "user" -> userTurn(content, path + ".content");
            case "assistant" -> assistantTurn(content, path + ".content");
            case "system" -> {
                String text = systemText(content, path + ".content");
                if (!text.isEmpty()) {
                    messages.addObject().put("role", "system").put("content", text);
                }
            }
            default -> throw new AnthropicRequestException(path + ".role", "Input should be 'user' or 'assistant'");
        }
    }

    private void userTurn(JsonNode content, String path) throws AnthropicRequestException {
        if (content.isTextual()) {
            if (!content.textValue().isEmpty()) {
                messages.addObject().put("role", "user").put("content", content.textValue());
            }
            return;
        }
        List<ObjectNode> toolMessages = new ArrayList<>();
        List<ObjectNode> toolImages = new ArrayList<>();
        List<ObjectNode> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String blockPath = path + "." + i;
            JsonNode block = block(content.get(i), blockPath);
            String type = typeOf(block);
            switch (type) {
                case "text" -> addText(parts, requiredText(block, "text", blockPath));
                case "image" -> addIfPresent(parts, imagePart(block, blockPath));
                case "document" -> parts.addAll(documentParts(block, blockPath));
                case "tool_result" -> toolMessages.add(toolMessage(block, blockPath, toolImages));
                case "thinking", "redacted_thinking" -> LOG.fine(() -> "dropped a " + type + " block of a user turn");
                default -> addIfPresent(parts, fallbackText(block, blockPath));
            }
        }
        messages.addAll(toolMessages);
        List<ObjectNode> all = new ArrayList<>(toolImages);
        all.addAll(parts);
        if (all.isEmpty()) {
            return;
        }
        ObjectNode user = messages.addObject().put("role", "user");
        if (all.stream().allMatch(part -> "text".equals(part.path("type").asText()))) {
            List<String> texts = new ArrayList<>();
            all.forEach(part -> texts.add(part.path("text").asText()));
            user.put("content", String.join(TEXT_SEPARATOR, texts));
        } else {
            user.putArray("content").addAll(all);
        }
    }

    private void assistantTurn(JsonNode content, String path) throws AnthropicRequestException {
        if (content.isTextual()) {
            if (content.textValue().isEmpty()) {
                LOG.fine(() -> "dropped an empty assistant message at " + path);
            } else {
                messages.addObject().put("role", "assistant").put("content", content.textValue());
            }
            return;
        }
        List<String> texts = new ArrayList<>();
        List<String> reasoning = new ArrayList<>();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            String blockPath = path + "." + i;
            JsonNode block = block(content.get(i), blockPath);
            String type = typeOf(block);
            switch (type) {
                case "text" -> addIfNotEmpty(texts, requiredText(block, "text", blockPath));
                case "tool_use" -> toolCalls.add(toolCall(block, blockPath));
                case "thinking" -> {
                    if (settings.replayReasoning()) {
                        addIfNotEmpty(reasoning, textOrEmpty(block.get("thinking")));
                    }
                }
                case "redacted_thinking" -> LOG.fine("dropped a redacted_thinking block");
                default -> {
                    JsonNode text = block.get("text");
                    if (text != null && text.isTextual()) {
                        addIfNotEmpty(texts, text.textValue());
                    } else {
                        LOG.fine(() -> "dropped an assistant block of type " + type + " at " + blockPath);
                    }
                }
            }
        }
        if (texts.isEmpty() && toolCalls.isEmpty()) {
            LOG.fine(() -> "dropped an assistant message without text or tool calls at " + path);
            return;
        }
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        if (texts.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", String.join(TEXT_SEPARATOR, texts));
        }
        if (!reasoning.isEmpty()) {
            assistant.put("reasoning_content", String.join(TEXT_SEPARATOR, reasoning));
        }
        if (!toolCalls.isEmpty()) {
            assistant.set("tool_calls", toolCalls);
        }
    }

    private ObjectNode toolCall(JsonNode block, String path) throws AnthropicRequestException {
        String id = requiredText(block, "id", path);
        String name = requiredText(block, "name", path);
        JsonNode input = block.get("input");
        ObjectNode call = Json.MAPPER.createObjectNode();
        call.put("id", id);
        call.put("type", "function");
        call.putObject("function")
                .put("name", toolNames.upstream(name))
                .put("arguments", isAbsent(input) ? "{}" : input.toString());
        return call;
    }

    /** A {@code tool} message; images of the result are added to {@code images} for the next user message. */
    private ObjectNode toolMessage(JsonNode block, String path, List<ObjectNode> images) throws AnthropicRequestException {
        String id = requiredText(block, "tool_use_id", path);
        JsonNode content = block.get("content");
        List<String> texts = new ArrayList<>();
        int imageCount = 0;
        if (isAbsent(content)) {
            // an empty result
        } else if (content.isTextual()) {
            addIfNotEmpty(texts, content.textValue());
        } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                String blockPath = path + ".content." + i;
                JsonNode inner = block(content.get(i), blockPath);
                String type = typeOf(inner);
                if ("image".equals(type)) {
                    ObjectNode image = imagePart(inner, blockPath);
                    if (image != null) {
                        images.add(image);
                        imageCount++;
                    }
                } else if ("document".equals(type)) {
                    for (ObjectNode part : documentParts(inner, blockPath)) {
                        if ("text".equals(part.path("type").asText())) {
                            addIfNotEmpty(texts, part.path("text").asText());
                        } else {
                            images.add(part);
                            imageCount++;
                        }
                    }
                } else if ("text".equals(type)) {
                    addIfNotEmpty(texts, requiredText(inner, "text", blockPath));
                } else {
                    ObjectNode text = fallbackText(inner, blockPath);
                    if (text != null) {
                        addIfNotEmpty(texts, text.path("text").asText());
                    }
                }
            }
        } else {
            throw new AnthropicRequestException(path + ".content", "Input should be a valid string or a list of content blocks");
        }
        if (imageCount > 0) {
            texts.add(imageCount == 1 ? "[1 attachment of this tool result follows in the next user message]"
                    : "[" + imageCount + " attachments of this tool result follow in the next user message]");
        }
        String text = String.join(TEXT_SEPARATOR, texts);
        if (block.path("is_error").asBoolean(false)) {
            text = text.isEmpty() ? "Error" : "Error: " + text;
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("role", "tool");
        message.put("tool_call_id", id);
        message.put("content", text);
        return message;
    }

    // ---- content blocks ----------------------------------------------------------------------------------

    /** An {@code image_url} part, or null for a source the upstream cannot reach (a Files API id). */
    private static ObjectNode imagePart(JsonNode block, String path) throws AnthropicRequestException {
        JsonNode source = requiredObject(block, "source", path);
        String sourcePath = path + ".source";
        String sourceType = typeOf(source);
        String url;
        switch (sourceType) {
            case "base64" -> url = "data:" + requiredText(source, "media_type", sourcePath) + ";base64,"
                    + requiredText(source, "data", sourcePath);
            case "url" -> url = requiredText(source, "url", sourcePath);
            default -> {
                LOG.fine(() -> "dropped an image with a source of type " + sourceType + " at " + path);
                return null;
            }
        }
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    /** A document as OpenAI parts: a {@code file} part for base64 data, text parts for text sources. */
    private static List<ObjectNode> documentParts(JsonNode block, String path) throws AnthropicRequestException {
        JsonNode source = requiredObject(block, "source", path);
        String sourcePath = path + ".source";
        String sourceType = typeOf(source);
        String title = block.path("title").isTextual() ? block.get("title").textValue() : "";
        List<ObjectNode> parts = new ArrayList<>();
        switch (sourceType) {
            case "base64" -> {
                String mediaType = requiredText(source, "media_type", sourcePath);
                String data = requiredText(source, "data", sourcePath);
                ObjectNode part = Json.MAPPER.createObjectNode();
                part.put("type", "file");
                part.putObject("file")
                        .put("filename", "application/pdf".equals(mediaType) ? "document.pdf" : "document")
                        .put("file_data", "data:" + mediaType + ";base64," + data);
                parts.add(part);
            }
            case "text" -> addText(parts, titled(title, requiredText(source, "data", sourcePath)));
            case "content" -> {
                JsonNode content = source.get("content");
                List<String> texts = new ArrayList<>();
                if (content != null && content.isTextual()) {
                    addIfNotEmpty(texts, content.textValue());
                } else if (content != null && content.isArray()) {
                    for (int i = 0; i < content.size(); i++) {
                        String blockPath = sourcePath + ".content." + i;
                        JsonNode inner = block(content.get(i), blockPath);
                        if ("image".equals(typeOf(inner))) {
                            addIfPresent(parts, imagePart(inner, blockPath));
                        } else if (inner.path("text").isTextual()) {
                            addIfNotEmpty(texts, inner.get("text").textValue());
                        }
                    }
                } else {
                    throw new AnthropicRequestException(sourcePath + ".content", "Field required");
                }
                addText(parts, titled(title, String.join(TEXT_SEPARATOR, texts)));
            }
            case "url" -> addText(parts, titled(title, "Document: " + requiredText(source, "url", sourcePath)));
            default -> LOG.fine(() -> "dropped a document with a source of type " + sourceType + " at " + path);
        }
        return parts;
    }

    private static String titled(String title, String text) {
        if (title.isEmpty()) {
            return text;
        }
        return text.isEmpty() ? title : title + TEXT_SEPARATOR + text;
    }

    /**
     * Text for block types without a rule of their own: {@code tool_reference} names the tool (as the upstream
     * knows it), {@code search_result} gives title, source and text, other blocks pass their {@code text} on;
     * blocks with no text at all (server tool calls and results, unknown kinds) are dropped.
     */
    private ObjectNode fallbackText(JsonNode block, String path) {
        String type = typeOf(block);
        String text = null;
        if ("tool_reference".equals(type) && block.path("tool_name").isTextual()) {
            text = "Tool reference: " + toolNames.upstream(block.get("tool_name").textValue());
        } else if ("search_result".equals(type)) {
            List<String> texts = new ArrayList<>();
            addIfNotEmpty(texts, textOrEmpty(block.get("title")));
            addIfNotEmpty(texts, textOrEmpty(block.get("source")));
            for (JsonNode inner : block.path("content")) {
                addIfNotEmpty(texts, textOrEmpty(inner.get("text")));
            }
            text = String.join(TEXT_SEPARATOR, texts);
        } else if (block.path("text").isTextual()) {
            text = block.get("text").textValue();
        }
        if (text == null || text.isEmpty()) {
            LOG.fine(() -> "dropped a block of type " + type + " at " + path);
            return null;
        }
        return textPart(text);
    }

    private static ObjectNode textPart(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode();
        part.put("type", "text");
        part.put("text", text);
        return part;
    }

    private static void addText(List<ObjectNode> parts, String text) {
        if (!text.isEmpty()) {
            parts.add(textPart(text));
        }
    }

    private static void addIfPresent(List<ObjectNode> parts, ObjectNode part) {
        if (part != null) {
            parts.add(part);
        }
    }

    private static void addIfNotEmpty(List<String> texts, String text) {
        if (text != null && !text.isEmpty()) {
            texts.add(text);
        }
    }

    // ---- tools -------------------------------------------------------------------------------------------

    private void tools(JsonNode request, ObjectNode openAi) throws AnthropicRequestException {
        JsonNode tools = request.get("tools");
        if (isAbsent(tools) && isAbsent(request.get("tool_choice"))) {
            return; // a plain chat: nothing to build
        }
        ArrayNode functions = Json.MAPPER.createArrayNode();
        Set<String> names = new HashSet<>();
        if (!isAbsent(tools)) {
            if (!tools.isArray()) {
                throw new AnthropicRequestException("tools", "Input should be a valid list");
            }
            for (int i = 0; i < tools.size(); i++) {
                String path = "tools." + i;
                JsonNode tool = block(tools.get(i), path);
                JsonNode type = tool.get("type");
                if (!isAbsent(type) && !"custom".equals(type.asText())) {
                    LOG.fine(() -> "removed server tool " + type.asText() + " (" + tool.path("name").asText() + ")");
                    continue;
                }
                String name = requiredText(tool, "name", path);
                JsonNode schema = requiredObject(tool, "input_schema", path);
                String upstream = toolNames.upstream(name);
                if (!names.add(upstream)) {
                    LOG.fine(() -> "dropped a second tool named " + name);
                    continue;
                }
                ObjectNode function = functions.addObject().put("type", "function").putObject("function");
                function.put("name", upstream);
                if (tool.path("description").isTextual()) {
                    function.put("description", tool.get("description").textValue());
                }
                function.set("parameters", schema); // shared: see the class comment
            }
        }
        JsonNode choice = request.get("tool_choice");
        if (!isAbsent(choice) && !choice.isObject()) {
            throw new AnthropicRequestException("tool_choice", "Input should be an object");
        }
        if (functions.isEmpty()) {
            return;
        }
        openAi.set("tools", functions);
        if (isAbsent(choice)) {
            return;
        }
        String type = typeOf(choice);
        switch (type) {
            case "auto" -> openAi.put("tool_choice", "auto");
            case "any" -> openAi.put("tool_choice", "required");
            case "none" -> openAi.put("tool_choice", "none");
            case "tool" -> {
                String upstream = toolNames.upstream(requiredText(choice, "name", "tool_choice"));
                if (names.contains(upstream)) {
                    openAi.putObject("tool_choice").put("type", "function").putObject("function").put("name", upstream);
                } else {
                    LOG.fine(() -> "dropped tool_choice naming " + upstream + ", which is not among the tools sent");
                }
            }
            default -> LOG.fine(() -> "dropped tool_choice of unknown type " + type);
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            openAi.put("parallel_tool_calls", false);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** Type checks rather than JsonNode's virtual isNull/isMissingNode, which this translator calls at every field. */
    private static boolean isAbsent(JsonNode node) {
        return node == null || node instanceof NullNode || node instanceof MissingNode;
    }

    private static JsonNode block(JsonNode node, String path) throws AnthropicRequestException {
        if (node == null || !node.isObject()) {
            throw new AnthropicRequestException(path, "Input should be an object");
        }
        return node;
    }

    /** The block's {@code type} as an open string; "" when missing or not a string. */
    private static String typeOf(JsonNode block) {
        JsonNode type = block.get("type");
        return type != null && type.isTextual() ? type.textValue() : "";
    }

    private static String requiredText(JsonNode node, String field, String path) throws AnthropicRequestException {
        JsonNode value = node.get(field);
        if (isAbsent(value)) {
            throw new AnthropicRequestException(path + "." + field, "Field required");
        }
        if (!value.isTextual()) {
            throw new AnthropicRequestException(path + "." + field, "Input should be a valid string");
        }
        return value.textValue();
    }

    private static JsonNode requiredObject(JsonNode node, String field, String path) throws AnthropicRequestException {
        JsonNode value = node.get(field);
        if (isAbsent(value)) {
            throw new AnthropicRequestException(path + "." + field, "Field required");
        }
        if (!value.isObject()) {
            throw new AnthropicRequestException(path + "." + field, "Input should be an object");
        }
        return value;
    }

    private static String textOrEmpty(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : "";
    }
}
