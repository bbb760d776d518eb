package io.llmgateway.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgateway.config.Json;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Estimates how many tokens an Anthropic Messages request costs the model, for {@code /v1/messages/count_tokens}
 * and for {@code input_tokens} in {@code message_start}.
 *
 * <p>Text is counted exactly with a JTokkit BPE encoding; what the wire format adds around it is estimated with
 * the constants below, which follow OpenAI's chat format since the upstream is OpenAI-compatible. Images and PDFs
 * are estimated. {@code cache_control}, ids, signatures and request metadata ({@code model}, {@code max_tokens},
 * {@code thinking}, {@code metadata}, ...) are not counted. Odd shapes never throw: what can be counted is.
 *
 * <p>Built once and shared: thread-safe, the JTokkit registry is created once per class, and counting compiles no
 * patterns and creates no registries. Long texts are counted once: Claude Code resends its system prompt, its tool
 * definitions and the whole conversation on every turn, and BPE costs about 30 ns a character (about 0.5 ms for a
 * small Claude Code request), so each turn pays only for what is new.
 */
final class TokenCounter {
    /** Per message (and per system prompt): {@code <|start|>}, role, {@code <|message|>}, {@code <|end|>}. */
    static final int MESSAGE_OVERHEAD = 4;
    /** Once per request with anything in it: the reply is primed with {@code <|start|>assistant<|message|>}. */
    static final int REPLY_PRIMING = 3;
    /** Once when tools are declared: the tools header the upstream wraps function definitions in. */
    static final int TOOLS_PREAMBLE = 12;
    /** Per tool definition: the function framing around name, description and parameters. */
    static final int TOOL_OVERHEAD = 8;
    /** Per tool call in an assistant turn ({@code tool_use}): call framing and id. */
    static final int TOOL_CALL_OVERHEAD = 4;
    /** A PDF of unknown size, and the floor for any PDF: about one page (Anthropic: 1,500–3,000 per page). */
    static final int PDF_MIN_TOKENS = 1_500;
    /** A PDF costs about one token per this many base64 characters (≈ 6 bytes of file). */
    static final int PDF_BASE64_CHARS_PER_TOKEN = 8;
    /** The ceiling for one PDF: Anthropic's 100-page limit at 3,000 tokens a page. */
    static final int PDF_MAX_TOKENS = 300_000;

    /** Nesting beyond this (tool results in tool results ...) is not descended into. */
    private static final int MAX_DEPTH = 32;
    /** Keys of unknown blocks whose values are metadata or opaque, never text the model reads. */
    private static final Set<String> NOT_TEXT = Set.of("type", "id", "tool_use_id", "cache_control", "signature",
            "citations", "encrypted_content", "encrypted_index", "data", "file_id");

    /** Built once for every counter: the registry loads each encoding on first use only. */
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Set<String> SUPPORTED = Set.of(EncodingType.O200K_BASE.getName(),
            EncodingType.CL100K_BASE.getName(), EncodingType.P50K_BASE.getName(), EncodingType.R50K_BASE.getName());

    /** Shorter texts are counted every time: looking them up would cost about as much. */
    static final int REMEMBERED_MIN_CHARS = 16;
    /** What remembering one text costs beyond its characters (map entry, string, boxed count), in characters. */
    private static final int REMEMBERED_ENTRY_CHARS = 48;
    /** About 8 MB remembered at most; when full, everything is forgotten and the next turn refills it. */
    private static final long REMEMBERED_MAX_CHARS = 4L << 20;

    private final Encoding encoding;
    private final long rememberedMaxChars;
    private final Map<String, Integer> remembered = new ConcurrentHashMap<>();
    private final AtomicLong rememberedChars = new AtomicLong();

    /**
     * @param encodingName {@code o200k_base}, {@code cl100k_base}, {@code p50k_base} or {@code r50k_base}
     * @throws IllegalArgumentException for any other name
     */
    TokenCounter(String encodingName) {
        this(encodingName, REMEMBERED_MAX_CHARS);
    }

    TokenCounter(String encodingName, long rememberedMaxChars) {
        this.rememberedMaxChars = rememberedMaxChars;
        if (encodingName == null || !SUPPORTED.contains(encodingName)) {
            throw new IllegalArgumentException("unknown tokenizer encoding '" + encodingName
                    + "': expected o200k_base, cl100k_base, p50k_base or r50k_base");
        }
        this.encoding = REGISTRY.getEncoding(EncodingType.fromName(encodingName).orElseThrow());
    }

    String encodingName() {
        return encoding.getName();
    }

    /** Tokens of {@code text}; special-token markers such as {@code <|endoftext|>} count as ordinary text. */
    int countText(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (text.length() < REMEMBERED_MIN_CHARS) {
            return encoding.countTokensOrdinary(text);
        }
        Integer known = remembered.get(text);
        if (known != null) {
            return known;
        }
        int tokens = encoding.countTokensOrdinary(text);
        int cost = text.length() + REMEMBERED_ENTRY_CHARS;
        if (rememberedChars.addAndGet(cost) > rememberedMaxChars) {
            remembered.clear(); // a race may forget a little more or less: the bound is what matters
            rememberedChars.set(cost);
        }
        remembered.put(text, tokens);
        return tokens;
    }

    /** What is remembered now, in characters, each text with its entry's cost. */
    long rememberedTextLength() {
        return remembered.keySet().stream().mapToLong(text -> text.length() + REMEMBERED_ENTRY_CHARS).sum();
    }

    /**
     * Input tokens of an Anthropic Messages request: system prompt, messages, tool definitions and their
     * framing. 0 when there is nothing to count (no system, no messages, no tools, or not an object); otherwise
     * at least {@link #REPLY_PRIMING}.
     */
    int countRequest(JsonNode request) {
        if (request == null || !request.isObject()) {
            return 0;
        }
        long total = 0;
        boolean any = false;

        JsonNode system = request.get("system");
        if (hasContent(system)) {
            total += MESSAGE_OVERHEAD + content(system, 0);
            any = true;
        }
        JsonNode messages = request.get("messages");
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                total += message(message);
                any = true;
            }
        }
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            total += TOOLS_PREAMBLE;
            for (JsonNode tool : tools) {
                total += tool(tool);
            }
            any = true;
        }
        if (!any) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, total + REPLY_PRIMING);
    }

    private long message(JsonNode message) {
        if (message == null || !message.isObject()) {
            return MESSAGE_OVERHEAD + (message != null && message.isTextual() ? countText(message.textValue()) : 0);
        }
        return MESSAGE_OVERHEAD + content(message.get("content"), 0);
    }

    /** A {@code content} or {@code system} value: a string, a list of blocks, or a lone block. */
    private long content(JsonNode content, int depth) {
        if (content == null || depth > MAX_DEPTH) {
            return 0;
        }
        if (content.isTextual()) {
            return countText(content.textValue());
        }
        if (content.isArray()) {
            long sum = 0;
            for (JsonNode block : content) {
                sum += block(block, depth + 1);
            }
            return sum;
        }
        if (content.isObject()) {
            return block(content, depth + 1);
        }
        return 0;
    }

    private long block(JsonNode block, int depth) {
        if (block == null || depth > MAX_DEPTH) {
            return 0;
        }
        if (block.isTextual()) {
            return countText(block.textValue());
        }
        if (!block.isObject()) {
            return 0;
        }
        switch (block.path("type").asText("")) {
            case "text":
                return text(block.get("text"));
            case "image":
                return TokenCounterImages.estimate(block.get("source"));
            case "document":
                return document(block, depth);
            case "tool_use":
            case "server_tool_use":
            case "mcp_tool_use":
                return TOOL_CALL_OVERHEAD + text(block.get("name")) + json(block.get("input"));
            case "tool_result":
            case "mcp_tool_result":
                // becomes a message of its own upstream (role "tool")
                return MESSAGE_OVERHEAD + content(block.get("content"), depth);
            case "thinking":
                return text(block.get("thinking"));
            case "redacted_thinking":
                return 0; // opaque, encrypted: nothing the upstream model reads
            case "search_result":
                return text(block.get("title")) + text(block.get("source")) + content(block.get("content"), depth);
            default:
                return strings(block, depth);
        }
    }

    private long document(JsonNode block, int depth) {
        long sum = text(block.get("title")) + text(block.get("context"));
        JsonNode source = block.get("source");
        String type = source == null ? "" : source.path("type").asText("");
        switch (type) {
            case "text":
                return sum + text(source.get("data"));
            case "content":
                return sum + content(source.get("content"), depth);
            case "base64": {
                JsonNode data = source.get("data");
                long chars = data != null && data.isTextual() ? data.textValue().length() : 0;
                long pdf = chars / PDF_BASE64_CHARS_PER_TOKEN;
                return sum + Math.max(PDF_MIN_TOKENS, Math.min(PDF_MAX_TOKENS, pdf));
            }
            default:
                return sum + PDF_MIN_TOKENS; // url, file, or unknown: about a page
        }
    }

    private long tool(JsonNode tool) {
        if (tool == null || !tool.isObject()) {
            return TOOL_OVERHEAD;
        }
        long sum = TOOL_OVERHEAD + text(tool.get("name")) + text(tool.get("description"));
        JsonNode schema = tool.get("input_schema");
        if (schema != null) {
            return sum + json(schema);
        }
        // a server tool (web_search_…, bash_…, text_editor_…): its type says what it is
        return sum + text(tool.get("type"));
    }

    /** The text of the string values of a block of unknown shape, skipping metadata and opaque fields. */
    private long strings(JsonNode node, int depth) {
        if (node == null || depth > MAX_DEPTH) {
            return 0;
        }
        if (node.isTextual()) {
            return countText(node.textValue());
        }
        long sum = 0;
        if (node.isArray()) {
            for (JsonNode child : node) {
                sum += strings(child, depth + 1);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!NOT_TEXT.contains(field.getKey())) {
                    sum += strings(field.getValue(), depth + 1);
                }
            }
        }
        return sum;
    }

    private long text(JsonNode node) {
        return node != null && node.isTextual() ? countText(node.textValue()) : 0;
    }

    /** A JSON value as the upstream sees it: compact JSON text (tool inputs, tool schemas). */
    private long json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return 0;
        }
        if (node.isTextual()) {
            return countText(node.textValue()); // already-serialised arguments
        }
        try {
            return countText(Json.MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            return countText(node.toString());
        }
    }

    private static boolean hasContent(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty();
        }
        return node.isContainerNode() && !node.isEmpty();
    }
}
