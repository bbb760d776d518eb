package io.llmgateway.servers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Tomcat 10.1: a fresh CATALINA_BASE per run, the WAR copied to webapps (context path /llm-gateway/). */
class TomcatServerIT extends SmokeSuite {
    @Test
    @Order(3)
    void aClientThatLeavesMidStreamClosesTheUpstreamConnection() throws Exception {
        super.aClientThatLeavesMidStreamClosesTheUpstreamConnection();
    }

    @Override
    AppServer server() {
        return new Tomcat();
    }

    static final class Tomcat extends ProcessAppServer {

        @Override
        public URI start(Path war, Map<String, String> env, Path workDir) throws Exception {
            Path home = Path.of(System.getProperty("servers.dir"), "apache-tomcat-" + System.getProperty("tomcat.version"));
            Path base = Files.createDirectories(workDir.resolve("server"));
            for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
                Files.createDirectories(base.resolve(dir));
            }
            try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
                for (Path file : conf.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, base.resolve("conf").resolve(file.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            int port = FreePorts.next();
            Path serverXml = base.resolve("conf/server.xml");
            Files.writeString(serverXml, Files.readString(serverXml)
                    .replace("port=\"8005\"", "port=\"-1\"")
                    .replace("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + port + "\""));
            Files.copy(war, base.resolve("webapps/llm-gateway.war"));
            Map<String, String> environment = new java.util.HashMap<>(env);
            environment.put("CATALINA_HOME", home.toString());
            environment.put("CATALINA_BASE", base.toString());
            environment.put("JAVA_HOME", ServerProcess.javaHome());
            process = ServerProcess.start(List.of(ServerProcess.shell(), home.resolve("bin/catalina.sh").toString(), "run"),
                    base, environment, workDir.resolve("tomcat.log"));
            URI gateway = URI.create("http://127.0.0.1:" + port + "/llm-gateway/");
            process.awaitReady(gateway.resolve("health/live"), Duration.ofMinutes(2));
            return gateway;
        }
    }
}
