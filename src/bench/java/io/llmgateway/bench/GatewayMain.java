package io.llmgateway.bench;

import io.llmgateway.testing.GatewayServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway on embedded Jetty in a JVM of its own, for the capacity lane: its threads and heap are then the
 * gateway's alone, not shared with the load client and the mock. Prints {@code PORT <n>} and serves until its
 * standard input closes. Arguments: the mock's chat URL, the .env path.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("GATEWAY_ENV_FILE", args[1]);
        config.put("LLM_API_URL", args[0]);
        config.put("LLM_API_KEY", "bench");
        config.put("LLM_MODEL_NAME", "long,zero");
        config.put("LOG_LEVEL", "WARNING");
        try (GatewayServer gateway = GatewayServer.start(config)) {
            System.out.println("PORT " + gateway.uri("").getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our stdin
            }
        }
        System.exit(0);
    }
}
