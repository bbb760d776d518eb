package io.llmgateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.upstream.JsonBody;

/** Parses and checks a chat completions body just enough to route it; the upstream validates the rest. */
final class ChatRequests {
    private ChatRequests() {
    }

    static ObjectNode parse(byte[] body) throws InvalidRequestException {
        ObjectNode json;
        try {
            json = JsonBody.parseObject(body);
        } catch (JsonBody.InvalidJsonBody e) {
            throw new InvalidRequestException(e.getMessage(), null);
        }
        if (!json.path("messages").isArray()) {
            throw new InvalidRequestException(json.has("messages")
                    ? "'messages' must be an array of messages" : "Missing required parameter: 'messages'", "messages");
        }
        JsonNode model = json.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) {
            throw new InvalidRequestException("'model' must be a string", "model");
        }
        JsonNode stream = json.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw new InvalidRequestException("'stream' must be a boolean", "stream");
        }
        return json;
    }

    static final class InvalidRequestException extends Exception {
        private final String param;

        InvalidRequestException(String message, String param) {
            super(message);
            this.param = param;
        }

        String param() {
            return param;
        }
    }
}
