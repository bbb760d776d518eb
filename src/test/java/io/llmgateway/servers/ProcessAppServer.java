package io.llmgateway.servers;

/** An {@link AppServer} run as one {@link ServerProcess}: stopping and the log tail are the same for every server. */
abstract class ProcessAppServer implements AppServer {
    /** Set by {@code start} once the server process runs; null before. */
    protected ServerProcess process;

    @Override
    public void stop() throws Exception {
        if (process != null) {
            process.stop();
        }
    }

    @Override
    public String logTail() {
        return process == null ? "" : process.tail();
    }
}
