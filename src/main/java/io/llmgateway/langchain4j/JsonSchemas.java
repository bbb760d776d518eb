package io.llmgateway.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.llmgateway.config.Json;
import java.util.Map;

/**
 * LangChain4j's JSON schema elements as the JSON Schema documents OpenAI expects for tool parameters and
 * {@code json_schema} response formats. Written here rather than borrowed from LangChain4j's internal helpers,
 * so that it keeps working with whichever LangChain4j 1.x the application brings.
 */
final class JsonSchemas {
    private JsonSchemas() {
    }

    static ObjectNode toJson(JsonSchemaElement element) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (element instanceof JsonObjectSchema object) {
            node.put("type", "object");
            description(node, object.description());
            ObjectNode properties = node.putObject("properties");
            if (object.properties() != null) {
                object.properties().forEach((name, property) -> properties.set(name, toJson(property)));
            }
            if (object.required() != null && !object.required().isEmpty()) {
                ArrayNode required = node.putArray("required");
                object.required().forEach(required::add);
            }
            if (object.additionalProperties() != null) {
                node.put("additionalProperties", object.additionalProperties());
            }
            Map<String, JsonSchemaElement> definitions = object.definitions();
            if (definitions != null && !definitions.isEmpty()) {
                ObjectNode defs = node.putObject("$defs");
                definitions.forEach((name, definition) -> defs.set(name, toJson(definition)));
            }
        } else if (element instanceof JsonStringSchema string) {
            node.put("type", "string");
            description(node, string.description());
        } else if (element instanceof JsonIntegerSchema integer) {
            node.put("type", "integer");
            description(node, integer.description());
        } else if (element instanceof JsonNumberSchema number) {
            node.put("type", "number");
            description(node, number.description());
        } else if (element instanceof JsonBooleanSchema bool) {
            node.put("type", "boolean");
            description(node, bool.description());
        } else if (element instanceof JsonEnumSchema enumeration) {
            node.put("type", "string");
            description(node, enumeration.description());
            ArrayNode values = node.putArray("enum");
            enumeration.enumValues().forEach(values::add);
        } else if (element instanceof JsonArraySchema array) {
            node.put("type", "array");
            description(node, array.description());
            if (array.items() != null) {
                node.set("items", toJson(array.items()));
            }
        } else if (element instanceof JsonAnyOfSchema anyOf) {
            description(node, anyOf.description());
            ArrayNode options = node.putArray("anyOf");
            anyOf.anyOf().forEach(option -> options.add(toJson(option)));
        } else if (element instanceof JsonReferenceSchema reference) {
            node.put("$ref", "#/$defs/" + reference.reference());
        } else if (element instanceof JsonNullSchema) {
            node.put("type", "null");
        } else if (element instanceof JsonRawSchema raw) {
            return raw(raw.schema());
        } else {
            throw new InvalidRequestException("Unsupported JSON schema element: " + element.getClass().getName());
        }
        return node;
    }

    private static ObjectNode raw(String schema) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(schema);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("A JsonRawSchema is not valid JSON: " + e.getOriginalMessage(), e);
        }
        throw new InvalidRequestException("A JsonRawSchema must be a JSON object");
    }

    private static void description(ObjectNode node, String description) {
        if (description != null) {
            node.put("description", description);
        }
    }
}
