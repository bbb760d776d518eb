package io.llmgateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Answers the demo gives on request, so that the chat page (its browser tests, and anyone trying it) can see
 * what the canned echo never shows: a long stream to stop, model output full of markup that must stay text,
 * and a conversation title. A marker anywhere in the last user message picks the answer; every scripted
 * answer except the title is labelled as simulated like the others.
 */
final class DemoScripts {

    /** Asks for {@link #LONG_WORDS} numbers streamed one per event, then {@link #LONG_END}. */
    static final String LONG_MARKER = "demo:long";
    /** Asks for an answer carrying raw HTML (an {@code <img onerror>}, a {@code <script>}, a javascript: link). */
    static final String MARKUP_MARKER = "demo:markup";
    static final int LONG_WORDS = 400;
    static final String LONG_END = "End of the long answer.";
    /**
     * The chat page asks for a title with a system message containing this phrase and the conversation as
     * {@code User: ...} / {@code Assistant: ...} lines (see {@code chat/title.js}).
     */
    static final String TITLE_REQUEST = "short title for the conversation";
    static final String TITLE_PREFIX = "Demo · ";
    static final int TITLE_WORDS = 4;

    private DemoScripts() {
    }

    /**
     * The scripted text for this request, or empty for the usual echo.
     *
     * @param messages the request's messages (already validated: objects with a role)
     * @param userText the text of the last user message
     */
    static Optional<String> answer(JsonNode messages, String userText) {
        if (asksForTitle(messages)) {
            return Optional.of(title(userText));
        }
        if (userText.contains(LONG_MARKER)) {
            return Optional.of(DemoChat.LABEL + " A long answer, streamed one number at a time so that it can be "
                    + "stopped:\n\n" + IntStream.rangeClosed(1, LONG_WORDS).mapToObj(Integer::toString)
                            .collect(Collectors.joining(" "))
                    + "\n\n" + LONG_END);
        }
        if (userText.contains(MARKUP_MARKER)) {
            return Optional.of(DemoChat.LABEL + " The lines below are markup a model might send. A chat page must "
                    + "show them as text and never run them.\n\n"
                    + "<img src=x onerror=\"window.demoInjected=true\">\n\n"
                    + "<script>window.demoInjected=true</script>\n\n"
                    + "Inline as well: <b onmouseover=\"window.demoInjected=true\">bold?</b> "
                    + "<img src=x onerror=window.demoInjected=true> and "
                    + "[a link](javascript:window.demoInjected=true).");
        }
        return Optional.empty();
    }

    private static boolean asksForTitle(JsonNode messages) {
        JsonNode first = messages.get(0);
        return "system".equals(first.path("role").asText())
                && first.path("content").asText("").toLowerCase(Locale.ROOT).contains(TITLE_REQUEST);
    }

    /** What a model would roughly do: the gist of the first user line, here its first few words. */
    private static String title(String conversation) {
        String firstUserLine = conversation.lines()
                .filter(line -> line.startsWith("User:"))
                .findFirst()
                .map(line -> line.substring("User:".length()))
                .orElse(conversation);
        String words = Arrays.stream(firstUserLine.strip().split("\\s+"))
                .map(word -> word.replaceAll("[\\p{Punct}«»“”]+$", ""))
                .filter(word -> !word.isEmpty())
                .limit(TITLE_WORDS)
                .collect(Collectors.joining(" "));
        return TITLE_PREFIX + (words.isEmpty() ? "Untitled" : words);
    }
}
