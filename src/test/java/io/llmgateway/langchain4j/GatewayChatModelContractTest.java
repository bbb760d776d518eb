package io.llmgateway.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelIT;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * LangChain4j's published {@link ChatModel} contract ({@code AbstractChatModelIT}, from langchain4j-core's test
 * jar) against {@link GatewayChatModel} and the in-process simulated upstream: the real token, HTTP and JSON
 * path, with deterministic answers. Cases that do not apply are listed below with their reason.
 */
class GatewayChatModelContractTest extends AbstractChatModelIT {
    static final Map<String, String> NOT_RUN_HERE = ContractCases.NOT_RUN_HERE;

    private final GatewayUpstream upstream = ContractCases.demoUpstream();

    @AfterAll
    void closeUpstream() {
        upstream.close();
    }

    @Override
    protected List<ChatModel> models() {
        return List.of(GatewayChatModel.builder().upstream(upstream).build());
    }

    @Override
    protected ChatModel createModelWith(ChatRequestParameters parameters) {
        return GatewayChatModel.builder().upstream(upstream).defaultRequestParameters(parameters).build();
    }

    @Override
    protected String customModelName() {
        return "demo-model-mini";
    }

    @Override
    protected ChatRequestParameters createIntegrationSpecificParameters(int maxOutputTokens) {
        return ChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
    }
}
