package io.llmgateway;

import io.llmgateway.anthropic.MessagesServlet;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.demo.DemoUpstreamServlet;
import io.llmgateway.openai.ChatCompletionsServlet;
import io.llmgateway.upstream.ConfiguredEndpoints;
import io.llmgateway.upstream.Models;
import io.llmgateway.upstream.UpstreamClient;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Starts the gateway when the WAR deploys: reads the configuration (an invalid value stops the deployment
 * with a message naming the key), builds the object graph and registers the servlets programmatically, so
 * they receive their collaborators through constructors instead of container injection that differs between
 * app servers.
 */
public final class GatewayBootstrap implements ServletContextListener {
    /** Tests put a {@link Clock} under this context attribute to control time. */
    public static final String CLOCK_ATTRIBUTE = "io.llmgateway.clock";
    /** Tests put an {@link UpstreamClient.Sleeper} here so retry backoff is observed, not waited for. */
    public static final String SLEEPER_ATTRIBUTE = "io.llmgateway.sleeper";
    private static final Logger LOG = Logger.getLogger(GatewayBootstrap.class.getName());
    /** Held strongly: java.util.logging forgets the level of a logger nobody references any more. */
    private static final Logger GATEWAY_LOGS = Logger.getLogger("io.llmgateway");

    private Gateway gateway;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        OwnJerseyServices.install();
        Map<String, String> params = new HashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            params.put(name, context.getInitParameter(name));
        }
        LiveConfig config = LiveConfig.load(params);
        Models.validateAliases(config.current());
        config.watch(current -> GATEWAY_LOGS.setLevel(current.logLevel())); // LOG_LEVEL is a hot key
        Clock clock = context.getAttribute(CLOCK_ATTRIBUTE) instanceof Clock given ? given : Clock.systemUTC();
        boolean demo = config.current().demoMode();
        DemoEndpoints demoEndpoints = demo ? new DemoEndpoints() : null;
        UpstreamClient.Sleeper sleeper = context.getAttribute(SLEEPER_ATTRIBUTE) instanceof UpstreamClient.Sleeper given
                ? given : UpstreamClient.Sleeper.REAL;
        gateway = new Gateway(config, clock, sleeper, demo ? demoEndpoints : new ConfiguredEndpoints(config));

        ServletRegistration.Dynamic api = context.addServlet("llm-gateway-api",
                new ServletContainer(new GatewayApplication(gateway)));
        api.addMapping("/v1/*");
        api.setAsyncSupported(true);
        api.setLoadOnStartup(1);
        // Inference has plain servlets (exact paths win over /v1/*); the edge filter sits in front of all of /v1.
        ServletRegistration.Dynamic chat = context.addServlet("llm-gateway-chat-completions",
                new ChatCompletionsServlet(gateway.upstream(), gateway.models()));
        chat.addMapping("/v1/chat/completions");
        chat.setAsyncSupported(true);
        ServletRegistration.Dynamic messages = context.addServlet("llm-gateway-messages",
                new MessagesServlet(gateway.upstream(), gateway.models(), gateway.config(), gateway.streamScheduler()));
        messages.addMapping(MessagesServlet.MESSAGES, MessagesServlet.COUNT_TOKENS);
        messages.setAsyncSupported(true);
        ServletRegistration.Dynamic health = context.addServlet("llm-gateway-health", new HealthServlet(gateway));
        health.addMapping("/health", "/health/*", "/api/hello");
        if (demo) {
            ServletRegistration.Dynamic simulator = context.addServlet("llm-gateway-demo", new DemoUpstreamServlet());
            simulator.addMapping("/demo/*");
            simulator.setAsyncSupported(true);
            FilterRegistration.Dynamic learner = context.addFilter("llm-gateway-demo-address", demoEndpoints);
            learner.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            learner.setAsyncSupported(true);
        }
        FilterRegistration.Dynamic edge = context.addFilter("llm-gateway-edge", new EdgeFilter(gateway));
        edge.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");
        edge.setAsyncSupported(true);
        LOG.info("LLM OAuth Gateway started at context path '" + context.getContextPath() + "'");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (gateway != null) {
            gateway.close();
        }
    }
}
