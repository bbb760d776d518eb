package io.llmgateway.langchain4j;

import static io.llmgateway.langchain4j.ScriptedConnection.DONE;
import static io.llmgateway.langchain4j.ScriptedConnection.chunk;
import static io.llmgateway.langchain4j.ScriptedConnection.text;
import static io.llmgateway.langchain4j.ScriptedConnection.usage;
import static io.llmgateway.testing.ScriptedUpstream.json;
import static io.llmgateway.testing.ScriptedUpstream.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import io.llmgateway.testing.DroppingUpstream;
import io.llmgateway.testing.ScriptedUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GatewayStreamingChatModel} against a scripted upstream: callbacks, their order and thread, cancel, errors. */
class GatewayStreamingChatModelTest {
    private static final int TIMEOUT_SECONDS = 10;

    @TempDir
    Path dir;

    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private GatewayUpstream connection;

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
        upstream.close();
    }

    private GatewayStreamingChatModel model(Map<String, String> config) {
        connection = ScriptedConnection.to(upstream, dir.resolve(".env"), config);
        return GatewayStreamingChatModel.builder().upstream(connection).build();
    }

    /** Everything a handler saw, in order, and on which threads. */
    private static final class Recorder implements StreamingChatResponseHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Set<Thread> threads = new CopyOnWriteArraySet<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        final AtomicReference<StreamingHandle> handle = new AtomicReference<>();

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            threads.add(Thread.currentThread());
            handle.set(context.streamingHandle());
            events.add("text:" + partial.text());
        }

        @Override
        public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
            threads.add(Thread.currentThread());
            events.add("partial-call:" + call.index() + ":" + call.id() + ":" + call.name() + ":" + call.partialArguments());
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            threads.add(Thread.currentThread());
            events.add("call:" + call.index() + ":" + call.toolExecutionRequest().arguments());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            threads.add(Thread.currentThread());
            events.add("complete");
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            threads.add(Thread.currentThread());
            events.add("error:" + error.getClass().getSimpleName());
            done.completeExceptionally(error);
        }

        ChatResponse response() throws Exception {
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        Throwable error() throws Exception {
            return done.handle((response, error) -> error).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void streamsPartialResponsesInOrderOnOneWorkerThreadThenTheCompleteResponse() throws Exception {
        // given
        upstream.onChat(sse(List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), text("Hel"),
                text("lo"), text(" there"), chunk("{}", "stop"), usage(9, 3), DONE)));
        GatewayStreamingChatModel model = model(Map.of());
        Recorder handler = new Recorder();

        // when
        model.chat("Hi", handler);
        ChatResponse response = handler.response();

        // then
        assertThat(handler.events).containsExactly("text:Hel", "text:lo", "text: there", "complete");
        assertThat(handler.threads).singleElement().isNotEqualTo(Thread.currentThread());
        assertThat(response.aiMessage().text()).isEqualTo("Hello there");
        assertThat(response.metadata().id()).isEqualTo("chatcmpl-2");
        assertThat(response.metadata().modelName()).isEqualTo("test-model");
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.metadata().tokenUsage().inputTokenCount()).isEqualTo(9);
        assertThat(response.metadata().tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(upstream.lastChat().json().get("stream").asBoolean()).isTrue();
        assertThat(upstream.lastChat().json().get("stream_options").get("include_usage").asBoolean()).isTrue();
        assertThat(upstream.lastChat().headers().get("accept")).isEqualTo("text/event-stream");
    }

    @Test
    void streamsParallelToolCallsAsArgumentFragmentsEachCompletedBeforeTheNextStarts() throws Exception {
        // given
        upstream.onChat(sse(List.of(
                chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}", null),
                chunk("{}", "tool_calls"), usage(30, 12), DONE)));
        GatewayStreamingChatModel model = model(Map.of());
        Recorder handler = new Recorder();
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").build();
        ToolSpecification time = ToolSpecification.builder().name("get_time").build();

        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from("Weather and time in Oslo, in parallel"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather, time).build()).build(), handler);
        ChatResponse response = handler.response();

        // then
        assertThat(handler.events).containsExactly(
                "partial-call:0:call_a:get_weather:{\"city\":",
                "partial-call:0:call_a:get_weather:\"Oslo\"}",
                "call:0:{\"city\":\"Oslo\"}",
                "partial-call:1:call_b:get_time:{}",
                "call:1:{}",
                "complete");
        assertThat(response.aiMessage().text()).isNull();
        assertThat(response.aiMessage().toolExecutionRequests()).containsExactly(
                ToolExecutionRequest.builder().id("call_a").name("get_weather").arguments("{\"city\":\"Oslo\"}").build(),
                ToolExecutionRequest.builder().id("call_b").name("get_time").arguments("{}").build());
        assertThat(response.metadata().finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(upstream.lastChat().json().get("tools")).hasSize(2);
    }

    @Test
    void cancellingThroughTheStreamingHandleStopsCallbacksAndClosesTheUpstreamConnection() throws Exception {
        // given an upstream that keeps streaming until its writes fail
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        upstream.onChat((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 2_000; i++) {
                    exchange.getResponseBody().write(text("tick ").getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                upstreamSawClose.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GatewayStreamingChatModel model = model(Map.of());
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();

        // when the application cancels from inside its fifth partial response
        model.chat("Tell me a long story", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                events.add(partial.text());
                handle.set(context.streamingHandle());
                if (events.size() == 5) {
                    context.streamingHandle().cancel();
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                events.add("complete");
            }

            @Override
            public void onError(Throwable error) {
                events.add("error:" + error);
            }
        });

        // then
        assertThat(upstreamSawClose.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("tick ", "tick ", "tick ", "tick ", "tick ");
        assertThat(handle.get().isCancelled()).isTrue();
        handle.get().cancel();
        assertThat(handle.get().isCancelled()).isTrue();
    }

    @Test
    void cancellingFromAnotherThreadAbortsARead() throws Exception {
        // given an upstream that sends one event and then holds the stream open, silent
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        upstream.onChat((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try {
                exchange.getResponseBody().write(text("first").getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                exchange.getResponseBody().write(text("late").getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                exchange.getResponseBody().write(DONE.getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
            } catch (IOException e) {
                upstreamSawClose.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GatewayStreamingChatModel model = model(Map.of());
        Recorder handler = new Recorder();
        model.chat("Hi", handler);
        while (handler.handle.get() == null) {
            Thread.onSpinWait();
        }

        // when the main thread cancels while the worker is blocked reading
        handler.handle.get().cancel();
        release.countDown();

        // then
        assertThat(upstreamSawClose.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(handler.events).containsExactly("text:first");
        assertThat(handler.done).isNotDone();
    }

    @Test
    void anErrorStatusBeforeTheStreamIsDeliveredToOnError() throws Exception {
        // given
        upstream.onChat(json(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "3")));
        GatewayStreamingChatModel model = model(Map.of());
        Recorder handler = new Recorder();

        // when
        model.chat("Hi", handler);

        // then
        assertThat(handler.error()).isExactlyInstanceOf(RateLimitException.class).hasMessageContaining("slow down")
                .hasMessageContaining("retry after 3");
        assertThat(handler.events).containsExactly("error:RateLimitException");
    }

    @Test
    void anErrorEventInsideTheStreamIsDeliveredToOnErrorAfterThePartialsBeforeIt() throws Exception {
        // given
        upstream.onChat(sse(List.of(text("Hal"),
                "data: {\"error\":{\"message\":\"upstream overloaded\",\"type\":\"server_error\"}}\n\n")));
        GatewayStreamingChatModel model = model(Map.of());
        Recorder handler = new Recorder();

        // when
        model.chat("Hi", handler);

        // then
        assertThat(handler.error()).isExactlyInstanceOf(InternalServerException.class)
                .hasMessageContaining("upstream overloaded");
        assertThat(handler.events).containsExactly("text:Hal", "error:InternalServerException");
    }

    @Test
    void anUpstreamThatDropsTheConnectionMidStreamIsARetriableError() throws Exception {
        // given an upstream that sends one event and resets
        try (DroppingUpstream dropping = new DroppingUpstream(text("partial"))) {
            connection = GatewayUpstream.builder().envFile(dir.resolve(".env")).apiUrl(dropping.chatUrl())
                    .apiKey("static-key").modelName("test-model").build();
            GatewayStreamingChatModel model = GatewayStreamingChatModel.builder().upstream(connection).build();
            Recorder handler = new Recorder();

            // when
            model.chat("Hi", handler);

            // then
            assertThat(handler.error()).isExactlyInstanceOf(RetriableException.class);
            assertThat(handler.events).containsExactly("text:partial", "error:RetriableException");
        }
    }

    @Test
    void anUpstreamSilentMidStreamPastTheRequestTimeoutIsATimeout() throws Exception {
        // given an upstream that sends one event, then nothing until the test ends
        CountDownLatch release = new CountDownLatch(1);
        upstream.onChat(sse(List.of(text("one"), text("two")), index -> {
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        GatewayStreamingChatModel model = model(Map.of("LLM_REQUEST_TIMEOUT", "0.3"));
        Recorder handler = new Recorder();

        // when
        model.chat("Hi", handler);

        // then
        try {
            assertThat(handler.error()).isExactlyInstanceOf(TimeoutException.class)
                    .hasMessageContaining("LLM_REQUEST_TIMEOUT");
        } finally {
            release.countDown();
        }
        assertThat(handler.events).containsExactly("text:one", "error:TimeoutException");
    }

    @Test
    void aDeadRefreshTokenIsAnAuthenticationErrorOnTheStream() throws Exception {
        // given
        upstream.onToken(json(400, "{\"error\":\"invalid_grant\"}"));
        GatewayStreamingChatModel model = model(Map.of());
        Recorder handler = new Recorder();

        // when
        model.chat("Hi", handler);

        // then
        assertThat(handler.error()).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("OAUTH_REFRESH_TOKEN");
    }

    @Test
    void tellsListenersAboutTheStreamedResponseAndAboutErrors() throws Exception {
        // given
        List<String> events = new CopyOnWriteArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                events.add("request " + context.chatRequest().messages().size());
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                events.add("response " + context.chatResponse().aiMessage().text()
                        + " " + context.chatResponse().metadata().tokenUsage().totalTokenCount());
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                events.add("error " + context.error().getClass().getSimpleName());
            }
        };
        connection = ScriptedConnection.to(upstream, dir.resolve(".env"), Map.of());
        GatewayStreamingChatModel model = GatewayStreamingChatModel.builder().upstream(connection)
                .listeners(listener).build();
        upstream.onChat(sse(List.of(text("ok"), chunk("{}", "stop"), usage(2, 1), DONE)));
        Recorder first = new Recorder();
        model.chat("one", first);
        first.response();
        upstream.onChat(json(500, "{\"error\":{\"message\":\"down\"}}"));
        Recorder second = new Recorder();

        // when
        model.chat("two", second);
        second.error();

        // then
        assertThat(events).containsExactly("request 1", "response ok 3", "request 1", "error InternalServerException");
    }
}
