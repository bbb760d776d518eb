package io.llmgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTest {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Test
    void aJsonSuccessLeavesItsStatusToTheContainersDefault() throws Exception {
        // given
        HttpServletResponse response = response();

        // when
        Reply.json(200, "{\"input_tokens\":3}".getBytes(StandardCharsets.UTF_8)).writeTo(response);

        // then
        verify(response, never()).setStatus(anyInt());
        verify(response).setContentType("application/json");
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("{\"input_tokens\":3}");
    }

    @Test
    void aJsonErrorSetsItsStatus() throws Exception {
        // given
        HttpServletResponse response = response();

        // when
        Reply.json(429, "{}".getBytes(StandardCharsets.UTF_8)).writeTo(response);

        // then
        verify(response).setStatus(429);
    }

    private HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        return response;
    }
}
