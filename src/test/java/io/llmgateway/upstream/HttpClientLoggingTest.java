package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Apache HttpClient logs through SLF4J; its lines must end up in java.util.logging with the gateway's own. */
class HttpClientLoggingTest {
    @Test
    void givenTheWarsDependenciesWhenHttpClientLogsThenTheLineReachesJavaUtilLogging() {
        // given
        Logger julLogger = Logger.getLogger("org.apache.hc.client5.http.test");
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julLogger.addHandler(capture);
        julLogger.setLevel(Level.INFO);
        try {
            // when
            LoggerFactory.getLogger("org.apache.hc.client5.http.test").warn("pool exhausted");
        } finally {
            julLogger.removeHandler(capture);
        }

        // then
        assertThat(records).extracting(LogRecord::getMessage).containsExactly("pool exhausted");
    }
}
