package io.llmgateway.langchain4j;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./mvnw -q compile exec:java@demo [-Dexec.args="your question"]}: the in-process models against the
 * configured upstream ({@code .env}, environment, {@code -D} properties), or the built-in simulated one when
 * {@code LLM_API_URL} is unset. Shows a synchronous stream, a blocking call and an asynchronous stream, all on
 * one shared {@link GatewayUpstream} (one token refresh for the three).
 */
public final class LangChain4jDemo {
    private static final PrintStream OUT = System.out;

    private LangChain4jDemo() {
    }

    public static void main(String[] args) throws Exception {
        String question = args.length > 0 ? String.join(" ", args) : "What is the capital of Germany?";
        try (GatewayUpstream upstream = GatewayUpstream.fromEnv()) {
            OUT.println(upstream.demo()
                    ? "LLM_API_URL is not set: answers come from the built-in SIMULATED upstream (demo mode)."
                    : "Upstream: " + upstream.config().llmApiUrl());
            GatewayChatModel chat = GatewayChatModel.builder().upstream(upstream).build();
            GatewayStreamingChatModel streaming = GatewayStreamingChatModel.builder().upstream(upstream).build();
            ChatRequest request = ChatRequest.builder()
                    .messages(SystemMessage.from(upstream.config().systemPrompt()), UserMessage.from(question))
                    .build();
            OUT.println("Question: " + question);

            OUT.println();
            OUT.println("== 1. Streaming, synchronously (tokens print as they arrive; main waits) ==");
            ChatResponse streamed = stream(streaming, request, token -> {
                OUT.print(token);
                OUT.flush();
            }).get(5, TimeUnit.MINUTES);
            OUT.println();
            summary(streamed);

            OUT.println();
            OUT.println("== 2. Blocking call ==");
            ChatResponse blocking = chat.chat(request);
            OUT.println(blocking.aiMessage().text());
            summary(blocking);

            OUT.println();
            OUT.println("== 3. Streaming, asynchronously (main thread keeps working) ==");
            StringBuilder tokens = new StringBuilder();
            int[] count = {0};
            CompletableFuture<ChatResponse> pending = stream(streaming, request, token -> {
                synchronized (tokens) {
                    tokens.append(token);
                    count[0]++;
                }
            });
            OUT.println("main: request sent, not waiting; doing other work...");
            ChatResponse async = pending.get(5, TimeUnit.MINUTES);
            synchronized (tokens) {
                OUT.println("main: the stream delivered " + count[0] + " partial responses in the background:");
                OUT.println(tokens);
            }
            summary(async);
        }
    }

    /** Streams {@code request}; the future completes with the whole response, or with the error. */
    static CompletableFuture<ChatResponse> stream(GatewayStreamingChatModel model, ChatRequest request,
            Consumer<String> onToken) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                onToken.accept(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    private static void summary(ChatResponse response) {
        OUT.println("[model=" + response.metadata().modelName() + ", finish=" + response.metadata().finishReason()
                + ", tokens in/out=" + response.metadata().tokenUsage().inputTokenCount() + "/"
                + response.metadata().tokenUsage().outputTokenCount() + "]");
    }
}
