package io.llmgateway.servers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Payara Server 6 (full): a fresh domain created with {@code asadmin create-domain} under the run's work directory
 * on a free port range, everything it listens on bound to loopback, the WAR dropped into the domain's
 * autodeploy directory (context path /llm-gateway/), and the domain run in the foreground
 * ({@code start-domain --verbose}) so the test owns the server process and its environment reaches the app.
 */
class PayaraServerIT extends SmokeSuite {
    @Override
    AppServer server() {
        return new Payara();
    }

    static final class Payara extends ProcessAppServer {
        private static final String DOMAIN = "gateway";
        /** create-domain --portbase uses base+9 (debugger) up to base+86 (JMX). */
        private static final int PORT_RANGE = 90;

        private Path home;
        private Path domains;
        private Map<String, String> environment;
        private Path workDir;

        @Override
        public URI start(Path war, Map<String, String> env, Path workDir) throws Exception {
            this.workDir = workDir;
            home = Path.of(System.getProperty("servers.dir"), "payara6");
            domains = Files.createDirectories(workDir.resolve("server"));
            environment = new HashMap<>(env);
            environment.put("JAVA_HOME", ServerProcess.javaHome());
            environment.put("AS_JAVA", ServerProcess.javaHome());

            int portBase = FreePorts.freeRange(PORT_RANGE);
            asadmin(Duration.ofMinutes(2), "create-domain", "--domaindir", domains.toString(),
                    "--portbase", Integer.toString(portBase), "--nopassword=true", DOMAIN);
            Path domain = domains.resolve(DOMAIN);
            loopbackOnly(domain.resolve("config/domain.xml"));
            plainConsoleLog(domain.resolve("config/logging.properties"));
            Path autodeploy = Files.createDirectories(domain.resolve("autodeploy"));
            Files.copy(war, autodeploy.resolve("llm-gateway.war"));

            process = ServerProcess.start(asadminCommand("start-domain", "--verbose", "--domaindir", domains.toString(),
                    DOMAIN), workDir, environment, workDir.resolve("payara.log"));
            URI gateway = URI.create("http://127.0.0.1:" + (portBase + 80) + "/llm-gateway/");
            awaitDeployed(gateway.resolve("health/live"), autodeploy.resolve("llm-gateway.war_deployFailed"),
                    Duration.ofMinutes(2));
            return gateway;
        }

        /** Waits for the gateway to answer; fails at once when the autodeployer gives up on the WAR. */
        private void awaitDeployed(URI live, Path failedMarker, Duration timeout) throws Exception {
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                if (Files.exists(failedMarker)) {
                    throw new IllegalStateException("autodeploy failed\n" + process.tail());
                }
                try {
                    process.awaitReady(live, Duration.ofSeconds(3));
                    return;
                } catch (IllegalStateException notYet) {
                    if (notYet.getMessage().startsWith("server exited") || Instant.now().isAfter(deadline)) {
                        throw notYet;
                    }
                }
            }
        }

        /**
         * Everything the instance listens on bound to 127.0.0.1: the HTTP, HTTPS and admin listeners (created without an
         * address, that is on all interfaces), IIOP and JMX (0.0.0.0) and the Hazelcast data grid; the embedded JMS
         * broker, unused by the gateway, is disabled instead of listening lazily on all interfaces.
         */
        private static void loopbackOnly(Path domainXml) throws Exception {
            String xml = Files.readString(domainXml);
            int serverConfig = xml.indexOf("<config name=\"server-config\">");
            int jvmOptions = xml.indexOf("<jvm-options>", serverConfig);
            int configEnd = xml.indexOf("</config>", serverConfig);
            if (serverConfig < 0 || jvmOptions < 0 || configEnd < 0 || !xml.contains("<network-listener port=")
                    || !xml.contains("<hazelcast-runtime-configuration ")
                    || xml.substring(serverConfig, configEnd).contains("<jms-service")) {
                throw new IllegalStateException("unexpected layout of " + domainXml);
            }
            int configStart = serverConfig + "<config name=\"server-config\">".length();
            String bound = (xml.substring(0, configStart)
                    + "<jms-service type=\"DISABLED\" default-jms-host=\"default_JMS_host\"><jms-host name=\"default_JMS_host\""
                    + " host=\"localhost\" port=\"${JMS_PROVIDER_PORT}\"/></jms-service>"
                    + xml.substring(configStart, jvmOptions)
                    + "<jvm-options>-Dhazelcast.socket.bind.any=false</jvm-options>" + xml.substring(jvmOptions))
                    .replace("<network-listener port=", "<network-listener address=\"127.0.0.1\" port=")
                    .replace("address=\"0.0.0.0\"", "address=\"127.0.0.1\"")
                    .replace("<hazelcast-runtime-configuration ",
                            "<hazelcast-runtime-configuration das-bind-address=\"127.0.0.1\" interface=\"127.0.0.1\" ");
            Files.writeString(domainXml, bound);
        }

        /** The console log (payara.log, quoted in failure messages) without ANSI colour codes. */
        private static void plainConsoleLog(Path loggingProperties) throws Exception {
            Files.writeString(loggingProperties, Files.readString(loggingProperties)
                    .replace("UniformLogFormatter.ansiColor=true", "UniformLogFormatter.ansiColor=false"));
        }

        private List<String> asadminCommand(String... args) {
            List<String> command = new ArrayList<>(List.of(ServerProcess.shell(), home.resolve("bin/asadmin").toString()));
            command.addAll(List.of(args));
            return command;
        }

        /** Runs one asadmin command to completion; fails with its output unless it succeeds. */
        private void asadmin(Duration timeout, String... args) throws Exception {
            Path log = workDir.resolve("asadmin-" + args[0] + ".log");
            ProcessBuilder builder = new ProcessBuilder(asadminCommand(args)).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process command = builder.start();
            if (!command.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                command.descendants().forEach(ProcessHandle::destroyForcibly);
                command.destroyForcibly();
                throw new IllegalStateException("asadmin " + args[0] + " timed out\n" + Files.readString(log));
            }
            if (command.exitValue() != 0) {
                throw new IllegalStateException("asadmin " + args[0] + " failed\n" + Files.readString(log));
            }
        }

        @Override
        public void stop() throws Exception {
            if (process == null) {
                return;
            }
            try {
                asadmin(Duration.ofMinutes(1), "stop-domain", "--domaindir", domains.toString(), DOMAIN);
            } catch (Exception e) {
                System.err.println("asadmin stop-domain: " + e.getMessage());
            } finally {
                super.stop();
            }
        }
    }
}
