package io.llmgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic random JSON for property tests: values of every shape (deep nesting, huge and hostile strings,
 * edge numbers) and in-place mutations of realistic documents (drop, null, retype, truncate, duplicate, nest,
 * swap, unknown blocks). Node types are the ones {@link Json#MAPPER} produces when parsing, so generated trees
 * look like parsed request bodies. Same seed, same output.
 */
public final class RandomJson {
    /** Field names and type strings the code under test switches on, so random objects often take real paths. */
    public static final List<String> WORDS = List.of("type", "text", "content", "role", "user", "assistant",
            "system", "tool", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking",
            "search_result", "tool_reference", "server_tool_use", "source", "base64", "url", "file", "data",
            "media_type", "id", "name", "input", "tool_use_id", "is_error", "messages", "max_tokens", "tools",
            "tool_choice", "auto", "any", "none", "enabled", "disabled", "adaptive", "budget_tokens", "metadata",
            "user_id", "stop_sequences", "stream", "temperature", "top_p", "cache_control", "ephemeral", "custom",
            "input_schema", "description", "title", "tool_name", "signature", "choices", "delta", "message",
            "index", "finish_reason", "usage", "tool_calls", "function", "arguments", "reasoning_content",
            "reasoning", "refusal", "error", "object", "prompt_tokens", "completion_tokens", "stop", "length",
            "function_call", "model", "disable_parallel_tool_use", "x-anthropic-billing-header: cc");

    /** Characters that break naive code: separators, controls, quotes, surrogates (paired and lone), BOM. */
    private static final String[] HOSTILE = {"\u2028", "\u2029", "\u0000", "\n", "\r", "\r\n", "\t", "\"", "\\",
            "\uD83D\uDE00", "\uD83E\uDDE0", "\uD800", "\uDFFF", "\uFEFF", "e\u0301", "\u202E", "\u00e9", "日本語",
            "data: ", "\n\ndata: {}\n\n", "event: x", ":", "{", "}", "[", "]", "</script>", "%s", "${x}", " "};

    private final SplittableRandom random;
    private int budget;

    public RandomJson(SplittableRandom random) {
        this.random = random;
    }

    public SplittableRandom random() {
        return random;
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in [from, to]. */
    public int between(int from, int to) {
        return random.nextInt(from, to + 1);
    }

    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    public <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    // ---- strings ------------------------------------------------------------------------------------------

    /** A string of any kind: empty, a meaningful word, hostile unicode, long; rarely huge. */
    public String string() {
        int kind = random.nextInt(100);
        if (kind < 10) {
            return "";
        }
        if (kind < 45) {
            return pick(WORDS);
        }
        if (kind < 93) {
            return hostileString(between(1, 40));
        }
        if (kind < 99 || chance(0.7)) {
            return hostileString(between(100, 1_000));
        }
        return hugeString();
    }

    /**
     * A field name: usually a meaningful word, never longer than the body parser's name limit (50,000
     * characters), so generated objects are ones a parsed body can hold.
     */
    public String fieldName() {
        return chance(0.7) ? pick(WORDS) : chance(0.9) ? hostileString(between(0, 12)) : hostileString(2_000);
    }

    /** Short and plain, for identifiers. */
    public String word() {
        StringBuilder s = new StringBuilder();
        int n = between(1, 12);
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    /** Up to about {@code pieces} pieces of ASCII and hostile characters. */
    public String hostileString(int pieces) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                s.append((char) (' ' + random.nextInt(95)));
            } else if (kind < 8) {
                s.append(pick(HOSTILE));
            } else {
                s.append((char) random.nextInt(0x10000));
            }
        }
        return s.toString();
    }

    /** About a hundred thousand characters. */
    public String hugeString() {
        String unit = hostileString(between(1, 20));
        return unit.repeat(Math.max(1, 100_000 / Math.max(1, unit.length())));
    }

    // ---- values -------------------------------------------------------------------------------------------

    public JsonNode number() {
        JsonNodeFactory f = Json.MAPPER.getNodeFactory();
        return switch (random.nextInt(12)) {
            case 0 -> f.numberNode(0);
            case 1 -> f.numberNode(-1);
            case 2 -> f.numberNode(random.nextInt(1, 100_000));
            case 3 -> f.numberNode(Integer.MAX_VALUE);
            case 4 -> f.numberNode(Integer.MIN_VALUE);
            case 5 -> f.numberNode(Long.MAX_VALUE);
            case 6 -> f.numberNode(BigInteger.TWO.pow(between(64, 400)).negate().pow(between(1, 2)));
            case 7 -> f.numberNode(new BigDecimal("1.5"));
            case 8 -> f.numberNode(new BigDecimal("-0.0"));
            case 9 -> f.numberNode(new BigDecimal("1E+400"));
            case 10 -> f.numberNode(new BigDecimal("4096.000"));
            default -> f.numberNode(random.nextLong());
        };
    }

    public JsonNode scalar() {
        JsonNodeFactory f = Json.MAPPER.getNodeFactory();
        return switch (random.nextInt(6)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2, 3 -> number();
            default -> f.textNode(string());
        };
    }

    /** Any JSON value, nested up to {@code maxDepth}; occasionally a deep chain of about 150 levels. */
    public JsonNode value(int maxDepth) {
        budget = 400;
        if (chance(0.03)) {
            return deep(value(1), between(20, 150));
        }
        return valueWithin(maxDepth);
    }

    private JsonNode valueWithin(int depth) {
        if (depth <= 0 || budget <= 0 || random.nextInt(10) < 4) {
            budget--;
            return scalar();
        }
        budget--;
        int size = chance(0.1) ? between(5, 30) : between(0, 4);
        if (random.nextBoolean()) {
            ObjectNode object = Json.MAPPER.createObjectNode();
            for (int i = 0; i < size; i++) {
                object.set(fieldName(), valueWithin(depth - 1));
            }
            return object;
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (int i = 0; i < size; i++) {
            array.add(valueWithin(depth - 1));
        }
        return array;
    }

    /** {@code value} wrapped in {@code levels} arrays and objects. */
    public JsonNode deep(JsonNode value, int levels) {
        JsonNode node = value;
        for (int i = 0; i < levels; i++) {
            if (random.nextBoolean()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                array.add(node);
                node = array;
            } else {
                ObjectNode object = Json.MAPPER.createObjectNode();
                object.set(pick("content", "text", "source", "input", "x"), node);
                node = object;
            }
        }
        return node;
    }

    // ---- mutations ----------------------------------------------------------------------------------------

    /** A place in a tree: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return parent.isObject() ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode object) {
                object.remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    /** A deep copy of {@code root} with {@code times} random mutations applied; may replace the root itself. */
    public JsonNode mutated(JsonNode root, int times) {
        ArrayNode holder = Json.MAPPER.createArrayNode();
        holder.add(root.deepCopy());
        for (int i = 0; i < times && !holder.isEmpty(); i++) {
            mutateOnce(holder);
        }
        return holder.isEmpty() ? Json.MAPPER.nullNode() : holder.get(0);
    }

    private void mutateOnce(ArrayNode holder) {
        List<Slot> slots = new ArrayList<>();
        collect(holder, slots);
        // Prefer slots below the root: the root is one slot, the interesting structure is inside.
        Slot slot = slots.size() > 1 && chance(0.97) ? slots.get(between(1, slots.size() - 1)) : slots.get(0);
        JsonNode value = slot.get();
        JsonNodeFactory f = Json.MAPPER.getNodeFactory();
        switch (random.nextInt(16)) {
            case 0, 1 -> {
                if (slot.parent() != holder) {
                    slot.remove();
                } else {
                    slot.set(f.objectNode());
                }
            }
            case 2 -> slot.set(f.nullNode());
            case 3 -> slot.set(value(3));
            case 4 -> slot.set(otherType(value));
            case 5 -> slot.set(f.textNode(chance(0.3) ? hugeString() : hostileString(between(1, 60))));
            case 6 -> slot.set(deep(value, chance(0.2) ? between(20, 60) : between(1, 3)));
            case 7 -> {
                if (slot.parent() instanceof ArrayNode array && slot.parent() != holder) {
                    array.insert(between(0, array.size()), value.deepCopy());
                } else if (value.isArray()) {
                    ((ArrayNode) value).add(value.isEmpty() ? value(2) : value.get(0).deepCopy());
                } else {
                    slot.set(value(2));
                }
            }
            case 8 -> {
                if (value instanceof ArrayNode array && !array.isEmpty()) {
                    int keep = random.nextInt(array.size());
                    while (array.size() > keep) {
                        array.remove(array.size() - 1);
                    }
                } else {
                    slot.set(f.arrayNode());
                }
            }
            case 9 -> {
                if (value instanceof ArrayNode array) {
                    array.insert(between(0, array.size()), unknownBlock());
                } else if (value instanceof ObjectNode object) {
                    object.set(pick("cache_control", "citations", "defer_loading", "zzz_" + word()), value(2));
                } else {
                    slot.set(unknownBlock());
                }
            }
            case 10 -> {
                Slot other = slots.get(random.nextInt(slots.size()));
                JsonNode copy = other.get();
                if (copy != null && copy != holder.get(0)) {
                    slot.set(copy.deepCopy());
                }
            }
            case 11 -> {
                if (value instanceof ObjectNode object) {
                    object.put("type", pick(WORDS));
                } else {
                    slot.set(f.textNode(pick(WORDS)));
                }
            }
            case 12 -> {
                if (value instanceof ObjectNode object) {
                    object.set("cache_control", chance(0.8)
                            ? f.objectNode().put("type", "ephemeral").put("ttl", "1h") : value(1));
                } else {
                    slot.set(number());
                }
            }
            case 13 -> slot.set(number());
            case 14 -> slot.set(f.textNode(chance(0.5) ? "" : pick(WORDS)));
            default -> {
                if (value instanceof ObjectNode object && object.size() > 0) {
                    // drop a random field of this object
                    List<String> names = new ArrayList<>();
                    object.fieldNames().forEachRemaining(names::add);
                    object.remove(pick(names));
                } else {
                    slot.set(f.booleanNode(random.nextBoolean()));
                }
            }
        }
    }

    /** A value of a different JSON type, keeping something of the original where possible. */
    private JsonNode otherType(JsonNode value) {
        JsonNodeFactory f = Json.MAPPER.getNodeFactory();
        if (value == null) {
            return scalar();
        }
        if (value.isObject()) {
            ArrayNode values = f.arrayNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                values.add(it.next().getValue().deepCopy());
            }
            return chance(0.5) ? values : f.textNode(value.toString());
        }
        if (value.isArray()) {
            return chance(0.5) ? (value.isEmpty() ? f.objectNode() : f.objectNode().set("0", value.get(0).deepCopy()))
                    : f.textNode(value.toString());
        }
        if (value.isTextual()) {
            return chance(0.5) ? f.arrayNode().add(value.deepCopy()) : number();
        }
        if (value.isNumber()) {
            return f.textNode(value.asText());
        }
        return chance(0.5) ? f.objectNode() : f.textNode(value.asText());
    }

    /** A block of an unknown or misused type, sometimes carrying text. */
    public ObjectNode unknownBlock() {
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.put("type", chance(0.5) ? pick(WORDS) : "zzz_" + word());
        if (chance(0.5)) {
            block.set("text", chance(0.8) ? Json.MAPPER.getNodeFactory().textNode(string()) : scalar());
        }
        if (chance(0.3)) {
            block.set(pick(WORDS), value(2));
        }
        return block;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (slots.size() > 5_000) {
            return;
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                slots.add(new Slot(object, name, -1));
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }
}
