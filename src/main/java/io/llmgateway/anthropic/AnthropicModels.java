package io.llmgateway.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.ModelInfo;
import java.time.Instant;
import java.util.List;

/** The model list in Anthropic's shape, for clients that send {@code anthropic-version} (Claude Code does). */
public final class AnthropicModels {
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 1000;

    private AnthropicModels() {
    }

    /** One page: {@code limit} models after {@code afterId} (null: from the start). */
    public static ObjectNode page(List<ModelInfo> models, Integer limit, String afterId) {
        int start = 0;
        if (afterId != null) {
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).id().equals(afterId)) {
                    start = i + 1;
                }
            }
        }
        int size = Math.max(1, Math.min(limit == null ? DEFAULT_LIMIT : limit, MAX_LIMIT));
        List<ModelInfo> page = models.subList(Math.min(start, models.size()), Math.min(start + size, models.size()));
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.forEach(model -> data.add(entry(model)));
        body.put("has_more", start + page.size() < models.size());
        body.put("first_id", page.isEmpty() ? null : page.get(0).id());
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id());
        return body;
    }

    public static ObjectNode entry(ModelInfo model) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("type", "model");
        entry.put("id", model.id());
        entry.put("display_name", model.raw().path("display_name").isTextual()
                ? model.raw().get("display_name").asText() : model.id());
        long created = model.raw().path("created").canConvertToLong() ? model.raw().get("created").asLong() : 0;
        entry.put("created_at", Instant.ofEpochSecond(created).toString());
        return entry;
    }
}
