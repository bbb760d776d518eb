package io.llmgateway;

import io.llmgateway.openai.ChatCompletionsResource;
import io.llmgateway.openai.ModelsResource;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The JAX-RS application under {@code /v1}: resources built once, with their collaborators, by the bootstrap. */
final class GatewayApplication extends ResourceConfig {
    GatewayApplication(Gateway gateway) {
        // Jersey otherwise holds up to 8 KB of a response to compute Content-Length: fatal for streaming.
        property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.BV_FEATURE_DISABLE, true);
        register(new EdgeFilter(gateway));
        register(new CatchAllExceptionMapper());
        register(new ChatCompletionsResource(gateway.upstream(), gateway.models()));
        register(new ModelsResource(gateway.models()));
    }
}
