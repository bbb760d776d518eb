package io.llmgateway.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a logger publishes, at every level, until closed; each record formatted as the test needs. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Function<LogRecord, String> format;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger, Function<LogRecord, String> format) {
        this.logger = logger;
        this.format = format;
    }

    public static LogCapture on(Logger logger, Function<LogRecord, String> format) {
        LogCapture capture = new LogCapture(logger, format);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
        return capture;
    }

    /** The lines so far; safe to read while records still arrive. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(format.apply(record));
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
