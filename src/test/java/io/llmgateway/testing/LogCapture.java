package io.llmgateway.testing;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects what a logger tree publishes until closed, each record formatted as the test needs it. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Function<LogRecord, String> format;
    /** The logger's own level (null: inherited), restored on close when the capture raised it. */
    private final Level restoreLevel;
    private final boolean raised;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger, Function<LogRecord, String> format, boolean raise) {
        this.logger = logger;
        this.format = format;
        this.restoreLevel = logger.getLevel();
        this.raised = raise;
        setLevel(Level.ALL);
        if (raise) {
            logger.setLevel(Level.ALL);
        }
        logger.addHandler(this);
    }

    /** Every record of the tree, at every level, as a log file shows it (message and stack trace). */
    public static LogCapture of(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName), new SimpleFormatter()::format, true);
    }

    /** What reaches this logger at the levels it already logs, formatted by {@code format}. */
    public static LogCapture on(Logger logger, Function<LogRecord, String> format) {
        return new LogCapture(logger, format, false);
    }

    /** The lines so far; a live view, safe to read while records still arrive. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
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
        if (raised) {
            logger.setLevel(restoreLevel);
        }
    }
}
