package io.llmgateway.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Reads a non-streamed OpenAI chat completion straight from the upstream's body into a tree of only the fields
 * {@link AnthropicResponseTranslator#toMessage} reads; ids, timestamps, roles, logprobs and the like are skipped by
 * the parser instead of being built into nodes. Reading the whole tree from a copied byte array was the largest part
 * of what translation added to a request (BENCHMARKS.md). Every kept value is the node Jackson's own tree reader
 * (with {@link Json#MAPPER}'s settings) would have built, so the translation gives the same message either way.
 */
final class CompletionReader {
    /** A completion larger than this is refused rather than read: an upstream gone wrong must not fill the heap. */
    private static final long MAX_BYTES = 64L << 20;

    /**
     * Leaves the body open: closing an Apache body drains it to its end, and an upstream that never stops would hold
     * the request forever. The caller closes the {@code UpstreamResponse}, which drops the connection instead.
     */
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory().copy()
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Json.MAPPER.getFactory().streamReadConstraints().getMaxNestingDepth())
                    .maxDocumentLength(MAX_BYTES)
                    .build());
    /** Top-level fields: the completion's, and those of vLLM's {@code {"object":"error",...}} answer. */
    private static final Set<String> COMPLETION = Set.of("choices", "usage", "error", "object", "message", "code",
            "status", "type");
    private static final Set<String> CHOICE = Set.of("index", "message", "finish_reason", "stop_reason",
            "matched_stop");
    private static final Set<String> MESSAGE = Set.of("content", "refusal", "reasoning_content", "reasoning",
            "tool_calls", "function_call");

    private final JsonParser parser;

    private CompletionReader(JsonParser parser) {
        this.parser = parser;
    }

    /**
     * The completion's tree, lean as described above; the missing node for an empty body.
     *
     * @throws IOException when the body is not one JSON value, or larger than {@link #MAX_BYTES}
     */
    static JsonNode read(InputStream body) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            CompletionReader reader = new CompletionReader(parser);
            JsonNode completion = first == JsonToken.START_OBJECT ? reader.kept(COMPLETION) : reader.value();
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Trailing token (" + parser.currentToken()
                        + ") after the completion");
            }
            return completion;
        }
    }

    /** The choices that are objects; other entries never count as a choice, so they are skipped. */
    private ArrayNode choices() throws IOException {
        ArrayNode choices = JsonNodeFactory.instance.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == JsonToken.START_OBJECT) {
                choices.add(kept(CHOICE));
            } else {
                parser.skipChildren();
            }
        }
        return choices;
    }

    /**
     * An object of only the {@code fields} named; a completion's {@code choices} and a choice's {@code message} are
     * themselves kept lean.
     */
    private ObjectNode kept(Set<String> fields) throws IOException {
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            if (fields == COMPLETION && "choices".equals(field) && token == JsonToken.START_ARRAY) {
                kept.set(field, choices());
            } else if (fields == CHOICE && "message".equals(field) && token == JsonToken.START_OBJECT) {
                kept.set(field, kept(MESSAGE));
            } else if (fields.contains(field)) {
                kept.set(field, value());
            } else {
                parser.skipChildren();
            }
        }
        return kept;
    }

    /** The whole value at the current token, as {@link Json#MAPPER}'s tree reader builds it. */
    private JsonNode value() throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT: {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                    parser.nextToken();
                    object.set(field, value());
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value());
                }
                return array;
            }
            case VALUE_STRING:
                return TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> IntNode.valueOf(parser.getIntValue());
                    case LONG -> LongNode.valueOf(parser.getLongValue());
                    default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT: // USE_BIG_DECIMAL_FOR_FLOATS, trailing zeroes kept
                return DecimalNode.valueOf(parser.getDecimalValue());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            default:
                return NullNode.getInstance();
        }
    }
}
