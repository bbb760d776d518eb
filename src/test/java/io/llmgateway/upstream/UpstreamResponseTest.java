package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamResponseTest {
    private static UpstreamResponse answer(HttpEntity entity) {
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(200);
        response.setEntity(entity);
        return new UpstreamResponse(new HttpPost("http://upstream.test/v1/chat/completions"), response, Duration.ZERO);
    }

    @ParameterizedTest(name = "{0} bytes, length declared: {1}")
    @CsvSource({"0, true", "3, true", "8192, true", "20000, true", "0, false", "3, false", "20000, false"})
    void givenABodyWhenCopiedThenTheClientGetsEveryByteInOrder(int size, boolean declared) throws Exception {
        // given
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        HttpEntity entity = declared ? new ByteArrayEntity(body, ContentType.APPLICATION_JSON)
                : new InputStreamEntity(new ByteArrayInputStream(body), -1, ContentType.APPLICATION_JSON);
        ByteArrayOutputStream client = new ByteArrayOutputStream();

        // when
        try (UpstreamResponse answer = answer(entity)) {
            answer.copyBodyTo(client);
        }

        // then
        assertThat(client.toByteArray()).isEqualTo(body);
    }
}
