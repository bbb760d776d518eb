package io.llmgateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A request body that must be one JSON object; every dialect parses its bodies through here. */
public final class JsonBody {
    /**
     * Refuses a key given twice in one object: the OpenAI dialect forwards the client's own bytes, and an upstream
     * that keeps the first of two {@code model} keys must not see another request than the one checked here.
     */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)' for `ObjectNode`");

    private JsonBody() {
    }

    /** The object, or an {@link InvalidJsonBody} whose message a client can act on (no stack, no internals). */
    public static ObjectNode parseObject(byte[] body) throws InvalidJsonBody {
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (JsonProcessingException e) {
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            throw new InvalidJsonBody(duplicate.find()
                    ? "The request body has the key '" + duplicate.group(1) + "' twice in one object; send it once"
                    : "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidJsonBody("The request body could not be read");
        }
        if (!(node instanceof ObjectNode json)) {
            throw new InvalidJsonBody("The request body must be a JSON object");
        }
        return json;
    }

    /** A body that is not a JSON object. */
    public static final class InvalidJsonBody extends Exception {
        InvalidJsonBody(String message) {
            super(message);
        }
    }
}
