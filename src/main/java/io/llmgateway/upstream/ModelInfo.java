package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.util.List;
import java.util.Objects;

/**
 * One model the upstream offers.
 *
 * @param id              the name clients send as {@code model} and the gateway forwards upstream
 * @param contextWindow   total tokens the model accepts, when the catalog says
 * @param maxOutputTokens most tokens it may generate, when the catalog says
 * @param supportedApis   LiteLLM's {@code supported_api_list}; empty means "everything" or "not stated"
 * @param raw             the upstream catalog entry as received, so no field is lost
 */
public record ModelInfo(String id, Integer contextWindow, Integer maxOutputTokens, List<String> supportedApis,
                        ObjectNode raw) {

    public ModelInfo {
        Objects.requireNonNull(id, "id");
        supportedApis = supportedApis == null ? List.of() : List.copyOf(supportedApis);
        Objects.requireNonNull(raw, "raw");
    }

    /** An entry known only by name (a configured fallback model); {@code raw} is just {@code {"id": name}}. */
    public static ModelInfo named(String id) {
        return new ModelInfo(id, null, null, List.of(), Json.MAPPER.createObjectNode().put("id", id));
    }
}
