package io.llmgateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.anthropic.AnthropicErrors;
import io.llmgateway.anthropic.AnthropicModels;
import io.llmgateway.config.Json;
import io.llmgateway.openai.OpenAiErrors;
import io.llmgateway.upstream.ModelInfo;
import io.llmgateway.upstream.Models;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code /v1/models/{id}}, from the cached catalog ({@code ?refresh=true} fetches it
 * now): Anthropic's shape when the request carries {@code anthropic-version}, OpenAI's otherwise. Ids may
 * contain slashes ({@code oca/gpt-4.1}).
 */
@Singleton
@Path("models")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
    private static final long CREATED = 1_700_000_000L;

    private final Models models;

    @Inject
    public ModelsResource(Models models) {
        this.models = models;
    }

    @GET
    public String list(@QueryParam("refresh") boolean refresh, @HeaderParam("anthropic-version") String anthropic,
            @QueryParam("limit") Integer limit, @QueryParam("after_id") String afterId) {
        List<ModelInfo> all = refresh ? models.refresh() : models.list();
        if (anthropic != null) {
            return AnthropicModels.page(all, limit, afterId).toString();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        all.forEach(model -> data.add(openAiEntry(model)));
        return body.toString();
    }

    @GET
    @Path("{id: .+}")
    public Response one(@PathParam("id") String id, @HeaderParam("anthropic-version") String anthropic) {
        return models.find(id)
                .map(model -> Response.ok((anthropic != null ? AnthropicModels.entry(model) : openAiEntry(model))
                        .toString(), MediaType.APPLICATION_JSON_TYPE).build())
                .orElseGet(() -> anthropic != null
                        ? AnthropicErrors.response(404, "model: " + id + " not found")
                        : OpenAiErrors.response(404, "The model '" + id + "' does not exist", "model",
                                "model_not_found"));
    }

    private static ObjectNode openAiEntry(ModelInfo model) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("id", model.id());
        entry.put("object", "model");
        entry.put("created", model.raw().path("created").canConvertToLong() ? model.raw().path("created").asLong() : CREATED);
        entry.put("owned_by", model.raw().path("owned_by").isTextual() ? model.raw().path("owned_by").asText() : "llm-gateway");
        return entry;
    }
}
