package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Reads a model catalog in either shape the upstream may serve:
 * <ul>
 *   <li>OpenAI {@code /v1/models}: {@code {"object":"list","data":[{"id":...}]}};</li>
 *   <li>LiteLLM {@code /v1/model/info}: {@code {"data":[{"model_name","litellm_params":{"model"},"model_info":{...}}]}}.</li>
 * </ul>
 * The id is the entry's {@code id}, else {@code litellm_params.model}, else {@code model_name}. LiteLLM's
 * {@code model_info.id} is a deployment hash, not a model name, so it is never used as the id (it stays in
 * {@code raw}). Models whose non-empty {@code supported_api_list} lacks {@code CHAT_COMPLETIONS} are left out:
 * the gateway can only reach them through chat completions.
 */
public final class ModelCatalogParser {
    private static final Logger LOG = Logger.getLogger(ModelCatalogParser.class.getName());
    private static final String CHAT_COMPLETIONS = "CHAT_COMPLETIONS";

    private ModelCatalogParser() {
    }

    /**
     * @return the chat-capable models in catalog order, each id once (first entry wins)
     * @throws IllegalArgumentException when the body is not an object with a {@code data} array
     */
    public static List<ModelInfo> parse(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("data").isArray()) {
            throw new IllegalArgumentException("Expected a model catalog: a JSON object with a \"data\" array"
                    + " (OpenAI /v1/models or LiteLLM /v1/model/info), got " + describe(body));
        }
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (JsonNode entry : body.get("data")) {
            // One odd entry should not cost the whole catalog
            if (!entry.isObject()) {
                LOG.fine(() -> "Skipping catalog entry that is not an object: " + entry.getNodeType());
                continue;
            }
            String id = idOf(entry);
            if (id == null) {
                LOG.fine("Skipping catalog entry without id, litellm_params.model or model_name");
                continue;
            }
            JsonNode info = entry.path("model_info");
            List<String> apis = strings(info.path("supported_api_list"));
            if (!apis.isEmpty() && !apis.contains(CHAT_COMPLETIONS)) {
                LOG.fine(() -> "Skipping catalog model without chat completions: " + id);
                continue;
            }
            byId.putIfAbsent(id, new ModelInfo(id,
                    positiveInt(info, "context_window", "max_input_tokens"),
                    positiveInt(info, "max_output_tokens", "max_tokens"),
                    apis, ((ObjectNode) entry).deepCopy()));
        }
        return List.copyOf(byId.values());
    }

    private static String idOf(JsonNode entry) {
        for (JsonNode candidate : List.of(entry.path("id"), entry.path("litellm_params").path("model"),
                entry.path("model_name"))) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText().strip();
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (!array.isArray()) {
            return values;
        }
        for (JsonNode item : array) {
            if (item.isTextual()) {
                values.add(item.asText());
            }
        }
        return values;
    }

    /** The first of {@code names} holding a positive whole number that fits an int; LiteLLM often sends null. */
    private static Integer positiveInt(JsonNode info, String... names) {
        for (String name : names) {
            JsonNode value = info.path(name);
            if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToInt()
                    && value.intValue() > 0) {
                return value.intValue();
            }
        }
        return null;
    }

    private static String describe(JsonNode body) {
        if (body == null || body.isMissingNode()) {
            return "no body";
        }
        // The node type only: the body may be a large HTML error page
        return body.isObject() ? "an object without a \"data\" array"
                : "a JSON " + body.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
