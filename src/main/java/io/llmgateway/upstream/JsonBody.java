package io.llmgateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.IOException;

/** A request body that must be one JSON object; every dialect parses its bodies through here. */
public final class JsonBody {
    private JsonBody() {
    }

    /** The object, or an {@link InvalidJsonBody} whose message a client can act on (no stack, no internals). */
    public static ObjectNode parseObject(byte[] body) throws InvalidJsonBody {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidJsonBody("The request body is not valid JSON: " + e.getOriginalMessage());
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
