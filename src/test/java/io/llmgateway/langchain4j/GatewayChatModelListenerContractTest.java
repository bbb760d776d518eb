package io.llmgateway.langchain4j;

import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * LangChain4j's published listener contract for {@link ChatModel}s: request, response and error events with the
 * effective parameters. The failing model asks for a model the (simulated) catalog lacks, with fallback off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayChatModelListenerContractTest extends AbstractChatModelListenerIT {
    private final GatewayUpstream upstream = ContractCases.demoUpstream();
    private final GatewayUpstream strict = ContractCases.demoUpstreamWith("LLM_MODEL_FALLBACK", "false");

    @AfterAll
    void closeUpstreams() {
        upstream.close();
        strict.close();
    }

    @Override
    protected ChatModel createModel(ChatModelListener listener) {
        return GatewayChatModel.builder().upstream(upstream).modelName(modelName()).temperature(temperature())
                .topP(topP()).maxOutputTokens(maxTokens()).listeners(listener).build();
    }

    @Override
    protected String modelName() {
        return "demo-model";
    }

    @Override
    protected ChatModel createFailingModel(ChatModelListener listener) {
        return GatewayChatModel.builder().upstream(strict).modelName("no-such-model").listeners(listener).build();
    }

    @Override
    protected Class<? extends Exception> expectedExceptionClass() {
        return ModelNotFoundException.class;
    }
}
