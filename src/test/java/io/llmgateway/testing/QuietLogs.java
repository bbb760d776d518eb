package io.llmgateway.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts loggers at ALL with no output for the duration of a test class: every log message is still built (its
 * supplier may throw too, which the tests want to see) but none is printed. {@link #restore()} undoes it.
 */
public final class QuietLogs {
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();

    public static QuietLogs mute(Class<?>... types) {
        QuietLogs quiet = new QuietLogs();
        for (Class<?> type : types) {
            Logger logger = Logger.getLogger(type.getName());
            quiet.loggers.add(logger);
            quiet.levels.add(logger.getLevel());
            logger.setLevel(Level.ALL);
            logger.setUseParentHandlers(false);
        }
        return quiet;
    }

    public void restore() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).setLevel(levels.get(i));
            loggers.get(i).setUseParentHandlers(true);
        }
    }
}
