package io.llmgateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.anthropic.AnthropicBench;
import io.llmgateway.config.Json;
import io.llmgateway.upstream.ConversationHealer;
import io.llmgateway.upstream.JsonBody;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request work outside I/O: Anthropic → OpenAI request translation, the input-token estimate the Messages
 * endpoint makes for {@code message_start}, conversation healing, and the OpenAI passthrough's parse + heal +
 * serialise. One operation is one request.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestConversionBenchmark {
    private static final String UPSTREAM_MODEL = "gpt-5";
    static final int CONVERSATION_MESSAGES = 50;

    private JsonNode smallAnthropic;
    private byte[] claudeCodeBytes;
    private JsonNode claudeCode;
    private ArrayNode conversation;
    private ArrayNode brokenConversation;
    private byte[] smallOpenAi;
    private byte[] agentOpenAi;

    @Setup
    public void setUp() {
        smallAnthropic = Fixtures.parse(Fixtures.SMALL_ANTHROPIC_REQUEST);
        claudeCodeBytes = Fixtures.resource("/anthropic/request-claude-code.json");
        claudeCode = Fixtures.parse(new String(claudeCodeBytes, StandardCharsets.UTF_8));
        conversation = Fixtures.agentConversation(CONVERSATION_MESSAGES, false);
        brokenConversation = Fixtures.agentConversation(CONVERSATION_MESSAGES, true);
        smallOpenAi = Fixtures.SMALL_OPENAI_REQUEST.getBytes(StandardCharsets.UTF_8);
        agentOpenAi = Fixtures.agentChatRequest(CONVERSATION_MESSAGES).getBytes(StandardCharsets.UTF_8);
        if (conversation.size() != CONVERSATION_MESSAGES || brokenConversation.size() != CONVERSATION_MESSAGES) {
            throw new IllegalStateException("conversations must have " + CONVERSATION_MESSAGES + " messages");
        }
        if (ConversationHealer.heal(conversation).messages() != conversation
                || ConversationHealer.heal(brokenConversation).changes().isEmpty()) {
            throw new IllegalStateException("the intact conversation must need no healing, the broken one some");
        }
    }

    /** A one-message request with a string system prompt. */
    @Benchmark
    public ObjectNode anthropicSmall() {
        return AnthropicBench.translateRequest(smallAnthropic, UPSTREAM_MODEL);
    }

    /** The Claude-Code-shaped fixture (system blocks, 25 tools, thinking, tool results, images). */
    @Benchmark
    public ObjectNode anthropicClaudeCode() {
        return AnthropicBench.translateRequest(claudeCode, UPSTREAM_MODEL);
    }

    /** The Messages endpoint's input-token estimate (o200k_base) of the Claude-Code fixture, on a later turn. */
    @Benchmark
    public int anthropicClaudeCodeTokenEstimate() {
        return AnthropicBench.estimateInputTokens(claudeCode);
    }

    /** The same estimate on the first turn, when no text of the request has been counted before. */
    @Benchmark
    public int anthropicClaudeCodeTokenEstimateFirstTurn() {
        return AnthropicBench.estimateInputTokensFirstTurn(claudeCode);
    }

    /** The Claude-Code fixture end to end, minus I/O: parse body, translate, heal, serialise the upstream body. */
    @Benchmark
    public byte[] anthropicClaudeCodeParseTranslateSerialize() throws Exception {
        ObjectNode openAi = AnthropicBench.translateRequest(JsonBody.parseObject(claudeCodeBytes), UPSTREAM_MODEL);
        return Json.MAPPER.writeValueAsBytes(healed(openAi));
    }

    /** {@code ConversationHealer.heal} on a 50-message tool-calling conversation that needs nothing. */
    @Benchmark
    public ConversationHealer.HealResult healIntact() {
        return ConversationHealer.heal(conversation);
    }

    /** {@code ConversationHealer.heal} on a 50-message conversation with an unanswered call and an orphan. */
    @Benchmark
    public ConversationHealer.HealResult healBroken() {
        return ConversationHealer.heal(brokenConversation);
    }

    /** OpenAI passthrough, small chat request: parse, heal, serialise. */
    @Benchmark
    public byte[] openAiPassthroughSmall() throws Exception {
        return Json.MAPPER.writeValueAsBytes(healed(JsonBody.parseObject(smallOpenAi)));
    }

    /** OpenAI passthrough, 50-message agent request with 4 tools (~19 KB): parse, heal, serialise. */
    @Benchmark
    public byte[] openAiPassthroughAgent() throws Exception {
        return Json.MAPPER.writeValueAsBytes(healed(JsonBody.parseObject(agentOpenAi)));
    }

    /** What {@code LlmUpstream} does before sending (its private {@code healed}). */
    private static ObjectNode healed(ObjectNode request) {
        JsonNode messages = request.get("messages");
        if (!(messages instanceof ArrayNode array)) {
            return request;
        }
        ConversationHealer.HealResult result = ConversationHealer.heal(array);
        if (result.messages() == array) {
            return request;
        }
        ObjectNode copy = Json.MAPPER.createObjectNode();
        copy.setAll(request);
        copy.set("messages", result.messages());
        return copy;
    }
}
