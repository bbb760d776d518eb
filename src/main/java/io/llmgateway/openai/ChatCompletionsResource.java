package io.llmgateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.upstream.LlmUpstream;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.RequestFacts;
import io.llmgateway.upstream.Resolution;
import io.llmgateway.upstream.UpstreamException;
import io.llmgateway.upstream.UpstreamResponse;
import jakarta.inject.Inject;
import io.llmgateway.relay.SseResponse;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Duration;

/**
 * {@code POST /v1/chat/completions}: the client's JSON goes upstream unchanged except for {@code model}
 * resolution and conversation healing, so fields this gateway does not know survive. The HTTP status is
 * decided only once the upstream has answered; after that, failures travel inside the stream.
 */
@Singleton
@Path("chat/completions")
public final class ChatCompletionsResource {
    private final LlmUpstream upstream;
    private final Models models;

    @Inject
    public ChatCompletionsResource(LlmUpstream upstream, Models models) {
        this.upstream = upstream;
        this.models = models;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public void create(byte[] body, @Context ContainerRequestContext request, @Context HttpServletRequest servlet,
            @Suspended AsyncResponse async) {
        ObjectNode json;
        try {
            json = ChatRequests.parse(body);
        } catch (ChatRequests.InvalidRequestException e) {
            async.resume(OpenAiErrors.response(400, e.getMessage(), e.param(), null));
            return;
        }
        Resolution resolution = models.resolve(json.path("model").textValue());
        if (!resolution.found()) {
            async.resume(OpenAiErrors.response(404, resolution.reason(), "model", "model_not_found"));
            return;
        }
        json.put("model", resolution.model());
        boolean stream = json.path("stream").asBoolean(false);
        request.setProperty(RequestFacts.MODEL, resolution.model());
        request.setProperty(RequestFacts.STREAM, stream);
        try {
            if (stream) {
                // No thread waits for this stream: the upstream's I/O threads drive it to the end.
                upstream.chatStream(json, new SseResponse(async, request, servlet, new OpenAiStreamRelay(), null,
                        Duration.ZERO));
            } else {
                UpstreamResponse answer = upstream.chat(json);
                request.setProperty(RequestFacts.UPSTREAM_LATENCY_MS, answer.latency().toMillis());
                async.resume(relayBody(answer));
            }
        } catch (UpstreamException e) {
            async.resume(OpenAiErrors.of(e));
        }
    }

    private static Response relayBody(UpstreamResponse answer) {
        StreamingOutput copy = out -> {
            try (answer) { // closing the answer closes its body quietly, even when the upstream broke it
                answer.body().transferTo(out);
            }
        };
        return Response.ok(copy, answer.contentType()).build();
    }
}
