package io.llmgateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.RequestFacts;
import io.llmgateway.upstream.Resolution;
import io.llmgateway.upstream.SseReader;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.logging.Logger;

/**
 * {@code POST /v1/chat/completions}: the client's JSON goes upstream unchanged except for {@code model}
 * resolution and conversation healing, so fields this gateway does not know survive. The HTTP status is
 * decided only once the upstream has answered; after that, failures travel inside the stream.
 */
@Singleton
@Path("chat/completions")
public final class ChatCompletionsResource {
    private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class.getName());

    private final LlmUpstream upstream;
    private final Models models;

    @Inject
    public ChatCompletionsResource(LlmUpstream upstream, Models models) {
        this.upstream = upstream;
        this.models = models;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body, @Context ContainerRequestContext request) {
        ObjectNode json;
        try {
            json = ChatRequests.parse(body);
        } catch (ChatRequests.InvalidRequestException e) {
            return OpenAiErrors.response(400, e.getMessage(), e.param(), null);
        }
        Resolution resolution = models.resolve(json.path("model").textValue());
        if (!resolution.found()) {
            return OpenAiErrors.response(404, resolution.reason(), "model", "model_not_found");
        }
        json.put("model", resolution.model());
        boolean stream = json.path("stream").asBoolean(false);
        request.setProperty(RequestFacts.MODEL, resolution.model());
        request.setProperty(RequestFacts.STREAM, stream);

        UpstreamResponse answer;
        try {
            answer = upstream.chat(json);
        } catch (UpstreamException e) {
            return OpenAiErrors.of(e);
        }
        request.setProperty(RequestFacts.UPSTREAM_LATENCY_MS, answer.latency().toMillis());
        return stream ? relayStream(answer) : relayBody(answer);
    }

    private static Response relayBody(UpstreamResponse answer) {
        StreamingOutput copy = out -> {
            try (answer) { // closing the answer closes its body quietly, even when the upstream broke it
                answer.body().transferTo(out);
            }
        };
        return Response.ok(copy, answer.contentType()).build();
    }

    private static Response relayStream(UpstreamResponse answer) {
        StreamingOutput relay = out -> {
            try (answer) {
                new OpenAiStreamRelay(new SseReader(answer.body()), out).run();
            } catch (OpenAiStreamRelay.ClientGoneException e) {
                LOG.fine("Client disconnected mid-stream; upstream call aborted");
            }
        };
        return Response.ok(relay, "text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .build();
    }
}
