package io.llmgateway.servers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * WildFly: a fresh server base directory per run ({@code jboss.server.base.dir}: a copy of
 * {@code standalone/configuration} and an empty {@code deployments/}), every socket on a free loopback port, the
 * WAR dropped into {@code deployments/} as {@code llm-gateway.war} (context path /llm-gateway/) and deployed by
 * the deployment scanner. {@code -Dwildfly.config=standalone-microprofile.xml} (or any other configuration of the
 * distribution) runs the suite against that configuration instead of {@code standalone.xml}.
 */
class WildFlyServerIT extends SmokeSuite {
    @Test
    @Order(3)
    void aClientThatLeavesMidStreamClosesTheUpstreamConnection() throws Exception {
        super.aClientThatLeavesMidStreamClosesTheUpstreamConnection();
    }

    @Override
    AppServer server() {
        return new WildFly();
    }

    static final class WildFly extends ProcessAppServer {

        @Override
        public URI start(Path war, Map<String, String> env, Path workDir) throws Exception {
            Path home = Path.of(System.getProperty("servers.dir"), "wildfly-" + System.getProperty("wildfly.version"));
            Path base = Files.createDirectories(workDir.resolve("server"));
            copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
            Path deployments = Files.createDirectories(base.resolve("deployments"));
            Files.copy(war, deployments.resolve("llm-gateway.war"));

            int http = FreePorts.next();
            List<String> command = List.of(ServerProcess.shell(),
                    home.resolve("bin/standalone.sh").toString(),
                    "--server-config=" + System.getProperty("wildfly.config", "standalone.xml"),
                    "-Djboss.server.base.dir=" + base,
                    "-Djboss.bind.address=127.0.0.1",
                    "-Djboss.bind.address.management=127.0.0.1",
                    "-Djboss.http.port=" + http,
                    "-Djboss.https.port=" + FreePorts.next(),
                    "-Djboss.ajp.port=" + FreePorts.next(),
                    "-Djboss.management.http.port=" + FreePorts.next(),
                    "-Djboss.management.https.port=" + FreePorts.next());
            Map<String, String> environment = new HashMap<>(env);
            environment.put("JBOSS_HOME", home.toString());
            environment.put("JAVA_HOME", ServerProcess.javaHome());
            environment.put("LAUNCH_JBOSS_IN_BACKGROUND", ""); // java in the foreground of the script
            process = ServerProcess.start(command, base, environment, workDir.resolve("wildfly.log"));

            URI gateway = URI.create("http://127.0.0.1:" + http + "/llm-gateway/");
            awaitDeployment(deployments.resolve("llm-gateway.war"), Duration.ofMinutes(2));
            process.awaitReady(gateway.resolve("health/live"), Duration.ofSeconds(30));
            return gateway;
        }

        /**
         * The deployment scanner deploys asynchronously and reports through marker files next to the WAR:
         * {@code .deployed} on success, {@code .failed} (holding the reason) on failure.
         */
        private void awaitDeployment(Path war, Duration timeout) throws Exception {
            Path deployed = war.resolveSibling(war.getFileName() + ".deployed");
            Path failed = war.resolveSibling(war.getFileName() + ".failed");
            Instant deadline = Instant.now().plus(timeout);
            while (!Files.exists(deployed)) {
                if (Files.exists(failed)) {
                    throw new IllegalStateException("deployment failed: " + Files.readString(failed) + "\n" + process.tail());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(war.getFileName() + " not deployed within " + timeout + "\n"
                            + process.tail());
                }
                Thread.sleep(250);
            }
        }

        private static void copyTree(Path from, Path to) throws java.io.IOException {
            try (Stream<Path> paths = Files.walk(from)) {
                for (Path source : paths.toList()) {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }
}
