package io.llmgateway.servers;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** One application server the WAR is deployed to by the smoke suite. */
interface AppServer {
    /**
     * Prepares a fresh server instance under {@code workDir}, deploys {@code war}, starts it with {@code env} in
     * its environment, and returns the gateway's base URI (ending in a slash) once it answers.
     */
    URI start(Path war, Map<String, String> env, Path workDir) throws Exception;

    /** Stops the server and everything it started; safe to call when start failed half-way. */
    void stop() throws Exception;

    /** The log of the running instance, for failure messages. */
    String logTail();
}
