package io.llmgateway.langchain4j;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.atLeastOnce;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.mockito.InOrder;

/**
 * LangChain4j's published {@link StreamingChatModel} contract ({@code AbstractStreamingChatModelIT}) against
 * {@link GatewayStreamingChatModel} and the in-process simulated upstream, which streams one word per event and
 * tool-call arguments in fragments. Cases that do not apply are listed below with their reason.
 */
class GatewayStreamingChatModelContractTest extends AbstractStreamingChatModelIT {
    static final Map<String, String> NOT_RUN_HERE = ContractCases.NOT_RUN_HERE_STREAMING;

    private final GatewayUpstream upstream = ContractCases.demoUpstream();

    @AfterAll
    void closeUpstream() {
        upstream.close();
    }

    @Override
    protected List<StreamingChatModel> models() {
        return List.of(GatewayStreamingChatModel.builder().upstream(upstream).build());
    }

    @Override
    protected StreamingChatModel createModelWith(ChatRequestParameters parameters) {
        return GatewayStreamingChatModel.builder().upstream(upstream).defaultRequestParameters(parameters).build();
    }

    @Override
    public StreamingChatModel createModelWith(ChatModelListener listener) {
        return GatewayStreamingChatModel.builder().upstream(upstream).listeners(listener).build();
    }

    @Override
    protected String customModelName() {
        return "demo-model-mini";
    }

    @Override
    protected ChatRequestParameters createIntegrationSpecificParameters(int maxOutputTokens) {
        return ChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
    }

    /** One call: its argument fragments, then its completion (the upstream sends no text before tool calls). */
    @Override
    protected void verifyToolCallbacks(StreamingChatResponseHandler handler, InOrder io, String id) {
        io.verify(handler, atLeast(0)).onPartialResponse(any(), any());
        io.verify(handler, atLeastOnce()).onPartialToolCall(argThat(call -> call.id().equals(id)), any());
        io.verify(handler).onCompleteToolCall(argThat(call -> call.toolExecutionRequest().id().equals(id)));
    }

    /** Parallel calls stream one after the other: each one's fragments, then its completion. */
    @Override
    protected void verifyToolCallbacks(StreamingChatResponseHandler handler, InOrder io, String id1, String id2) {
        verifyToolCallbacks(handler, io, id1);
        io.verify(handler, atLeastOnce()).onPartialToolCall(argThat(call -> call.id().equals(id2)), any());
        io.verify(handler).onCompleteToolCall(argThat(call -> call.toolExecutionRequest().id().equals(id2)));
    }
}
