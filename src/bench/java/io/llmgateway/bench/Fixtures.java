package io.llmgateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deterministic, realistic inputs for the benchmarks: OpenAI chunk streams, requests, conversations. */
final class Fixtures {
    /** Words of a streamed answer, one per text delta, as tokenisers cut them (some with non-ASCII and escapes). */
    private static final String[] WORDS = {" The", " gateway", " relays", " each", " event", " as", " soon", " as",
        " it", " arrives", ",", " without", " buffering", ".", "\n\n", "Here", "'s", " a", " \"quick\"", " café",
        " example", ":", "\n```java\n", "int", " x", " =", " 42", ";", "\n```", " — done", " ✓", " then"};

    private static final String CHUNK_HEAD = "{\"id\":\"chatcmpl-B9xK3mQ7rT2vN8pL4sW6yZ1aC5dE\","
            + "\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o-2024-08-06\","
            + "\"system_fingerprint\":\"fp_50cad350e4\",\"choices\":";
    private static final String CHUNK_TAIL = ",\"usage\":null}";

    private Fixtures() {
    }

    // ---- OpenAI chat.completion.chunk streams ---------------------------------------------------------------

    /**
     * A text answer of exactly {@code chunks} chunk objects: role, text deltas, {@code finish_reason}, and a final
     * {@code choices:[]} usage chunk (as with {@code stream_options.include_usage}).
     */
    static List<String> textStream(int chunks) {
        List<String> out = new ArrayList<>(chunks);
        out.add(choiceChunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
        for (int i = 0; out.size() < chunks - 2; i++) {
            out.add(choiceChunk("{\"content\":" + quote(WORDS[i % WORDS.length]) + "}", null));
        }
        out.add(choiceChunk("{}", "stop"));
        out.add(usageChunk(311, chunks - 3));
        return out;
    }

    /**
     * A tool-calling answer of exactly {@code chunks} chunk objects: role, a short text, one tool call (header,
     * then its arguments in small fragments, as upstreams stream them), {@code finish_reason}, usage.
     */
    static List<String> toolStream(int chunks) {
        List<String> out = new ArrayList<>(chunks);
        out.add(choiceChunk("{\"role\":\"assistant\",\"content\":null,\"refusal\":null}", null));
        out.add(choiceChunk("{\"content\":\"I'll update\"}", null));
        out.add(choiceChunk("{\"content\":\" the handler.\"}", null));
        out.add(choiceChunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_Wx7Kp2Lm9Qr4\",\"type\":\"function\","
                + "\"function\":{\"name\":\"Edit\",\"arguments\":\"\"}}]}", null));
        int fragments = chunks - out.size() - 2;
        String arguments = editArguments(fragments * 7);
        for (int i = 0; i < fragments; i++) {
            int from = i * arguments.length() / fragments;
            int to = (i + 1) * arguments.length() / fragments;
            out.add(choiceChunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                    + quote(arguments.substring(from, to)) + "}}]}", null));
        }
        out.add(choiceChunk("{}", "tool_calls"));
        out.add(usageChunk(2048, chunks - 3));
        return out;
    }

    /** The wire bytes of an upstream stream: one {@code data:} event per chunk, then {@code data: [DONE]}. */
    static byte[] sseBytes(List<String> chunks) {
        StringBuilder sb = new StringBuilder();
        for (String chunk : chunks) {
            sb.append("data: ").append(chunk).append("\n\n");
        }
        sb.append("data: [DONE]\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<JsonNode> parseAll(List<String> jsons) {
        List<JsonNode> out = new ArrayList<>(jsons.size());
        for (String json : jsons) {
            out.add(parse(json));
        }
        return out;
    }

    private static String choiceChunk(String delta, String finishReason) {
        return CHUNK_HEAD + "[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finishReason == null ? "null" : quote(finishReason)) + "}]" + CHUNK_TAIL;
    }

    private static String usageChunk(int prompt, int completion) {
        return CHUNK_HEAD + "[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":256,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";
    }

    /** Edit-tool arguments (a JSON object) of at least {@code minChars} characters. */
    private static String editArguments(int minChars) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; code.length() < minChars; i++) {
            code.append("    if (request.header(\"X-Trace-").append(i).append("\") != null) {\n")
                    .append("        log.debug(\"trace ").append(i).append(": {}\", request.path());\n    }\n");
        }
        ObjectNode args = Json.MAPPER.createObjectNode();
        args.put("file_path", "/home/dev/project/src/main/java/io/example/Handler.java");
        args.put("old_string", "    return handle(request);\n");
        args.put("new_string", code + "    return handle(request);\n");
        return args.toString();
    }

    // ---- requests and conversations ------------------------------------------------------------------------

    static final String SMALL_ANTHROPIC_REQUEST = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":1024,"
            + "\"system\":\"You are a helpful assistant.\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Write a haiku about server-sent events.\"}]}";

    static final String SMALL_OPENAI_REQUEST = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Write a haiku about server-sent events.\"}]}";

    static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path
                        + " (run test-compile so src/test/resources is on the classpath)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An agent conversation of exactly {@code size} OpenAI messages: system, user, then rounds of an assistant
     * message with one or two tool calls and their {@code tool} results, ending with a user message.
     * When {@code broken}, one result is missing (an unanswered call) and one result is an orphan, so the healer
     * has to rewrite the conversation.
     */
    static ArrayNode agentConversation(int size, boolean broken) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content",
                "You are a coding agent. Use the tools to inspect and edit the repository. Be concise.");
        messages.addObject().put("role", "user").put("content",
                "The SSE relay drops the last event when the upstream closes without a blank line. Fix it.");
        int round = 0;
        while (messages.size() < size - 1) {
            int calls = messages.size() + 4 <= size - 1 && round % 3 == 2 ? 2 : 1;
            if (messages.size() + 1 + calls > size - 1) {
                messages.addObject().put("role", "assistant").put("content", "Continuing.");
                continue;
            }
            ObjectNode assistant = messages.addObject().put("role", "assistant");
            assistant.put("content", round % 2 == 0 ? "Let me look at the reader." : null);
            ArrayNode toolCalls = assistant.putArray("tool_calls");
            List<String> ids = new ArrayList<>();
            for (int c = 0; c < calls; c++) {
                String id = "call_" + round + "_" + c + "_Qx81mZ";
                ids.add(id);
                ObjectNode call = toolCalls.addObject().put("id", id).put("type", "function");
                call.putObject("function").put("name", c == 0 ? "read_file" : "grep")
                        .put("arguments", c == 0
                                ? "{\"path\":\"src/main/java/io/llmgateway/upstream/SseReader.java\",\"offset\":"
                                        + (round * 40) + ",\"limit\":40}"
                                : "{\"pattern\":\"dispatch\\\\(\",\"path\":\"src/main/java\"}");
            }
            for (String id : ids) {
                boolean skip = broken && round == 5;
                if (!skip) {
                    messages.addObject().put("role", "tool").put("tool_call_id", id).put("content",
                            ("    private SseEvent dispatch() {\n        String type = eventType;\n"
                                    + "        eventType = null;\n        if (dataLen == 0) {\n"
                                    + "            return null;\n        }\n").repeat(3));
                } else {
                    messages.addObject().put("role", "user").put("content", "Wait, look at the tests first.");
                }
            }
            if (broken && round == 8) {
                messages.addObject().put("role", "tool").put("tool_call_id", "call_orphan_1").put("content", "ok");
            }
            round++;
        }
        while (messages.size() < size) {
            messages.addObject().put("role", "user").put("content", "Now run the tests.");
        }
        return messages;
    }

    /** An OpenAI chat request around {@link #agentConversation}, with tool definitions, as an agent sends it. */
    static String agentChatRequest(int messages) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("model", "gpt-4o");
        request.put("stream", true);
        request.putObject("stream_options").put("include_usage", true);
        request.put("temperature", 0.2);
        request.set("messages", agentConversation(messages, false));
        ArrayNode tools = request.putArray("tools");
        for (String name : new String[] {"read_file", "grep", "edit_file", "run_tests"}) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function");
            function.put("name", name).put("description", "Tool " + name + " of the coding agent.");
            ObjectNode parameters = function.putObject("parameters").put("type", "object");
            ObjectNode properties = parameters.putObject("properties");
            properties.putObject("path").put("type", "string").put("description", "A repository-relative path");
            properties.putObject("pattern").put("type", "string");
            parameters.putArray("required").add("path");
        }
        return request.toString();
    }

    private static String quote(String s) {
        return Json.MAPPER.getNodeFactory().textNode(s).toString();
    }
}
