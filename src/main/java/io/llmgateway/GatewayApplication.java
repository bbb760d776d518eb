package io.llmgateway;

import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.UpstreamStack;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The JAX-RS application under {@code /v1} for everything but inference (which has its own servlets): resources
 * built once, with their collaborators, by the bootstrap.
 */
final class GatewayApplication extends ResourceConfig {
    GatewayApplication(Gateway gateway) {
        // Jersey otherwise holds up to 8 KB of a response to compute Content-Length: fatal for streaming.
        property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.BV_FEATURE_DISABLE, true);
        register(new CatchAllExceptionMapper());
        // Resources are registered as classes with injected collaborators: Jersey mistakes resource instances
        // for providers and logs a misleading warning for each.
        register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(gateway.models()).to(Models.class);
                bind(new ChatDefaultsResource.Source(gateway.config(),
                        gateway.endpoints().demo() ? UpstreamStack.DEMO_MODEL : null)).to(ChatDefaultsResource.Source.class);
            }
        });
        register(ModelsResource.class);
        register(ChatDefaultsResource.class);
    }
}
