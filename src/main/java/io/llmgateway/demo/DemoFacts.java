package io.llmgateway.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few things the simulated model "knows", so that a client (or LangChain4j's chat-model contract tests) can
 * see that an answer depends on the question, the system message and the earlier turns, not only that bytes
 * arrived. Deliberately tiny and literal: it is a simulator, and every answer still carries {@link DemoChat#LABEL}.
 */
final class DemoFacts {

    /** A canned answer: the sentence to say, and its bare value for JSON answers (e.g. "Berlin"). */
    record Fact(String sentence, String value) {
    }

    private static final Map<String, String> CAPITALS = Map.of(
            "germany", "Berlin", "france", "Paris", "italy", "Rome", "spain", "Madrid", "norway", "Oslo",
            "japan", "Tokyo", "the united kingdom", "London", "poland", "Warsaw", "austria", "Vienna");
    private static final Map<String, String> GERMAN = Map.of(
            "i love you", "Ich liebe dich", "hello", "Hallo", "thank you", "Danke", "good morning", "Guten Morgen");

    private static final Pattern CAPITAL = Pattern.compile("(?i)\\bcapital of ((?:the )?\\p{L}+(?: \\p{L}+)?)");
    private static final Pattern QUOTED = Pattern.compile("['\"‘“«]([^'\"’”»]+)['\"’”»]");
    private static final Pattern SAY = Pattern.compile("(?i)^\\s*say\\s+['\"‘“«]([^'\"’”»]+)['\"’”»]");
    private static final Pattern FAVORITE_QUESTION = Pattern.compile("(?i)\\bwhat(?: is|'s) my favou?rite (\\p{L}+)");
    private static final Pattern PLACE = Pattern.compile("\\b(?:in|to|from|at) (\\p{Lu}\\p{L}+(?: \\p{Lu}\\p{L}+)*)");
    private static final Pattern JSON_FIELD = Pattern.compile("['\"]([A-Za-z_][A-Za-z0-9_]*)['\"] (?:field|key|property)");

    private DemoFacts() {
    }

    /**
     * @param userText    the last user message
     * @param earlierUser the user messages before it, oldest first
     * @param systemText  every system message, joined
     */
    static Optional<Fact> answer(String userText, List<String> earlierUser, String systemText) {
        Matcher say = SAY.matcher(userText);
        if (say.find()) {
            return Optional.of(new Fact(say.group(1), say.group(1)));
        }
        Matcher capital = CAPITAL.matcher(userText);
        while (capital.find()) {
            String country = capital.group(1);
            for (String candidate : List.of(country, country.contains(" ") ? country.substring(0, country.indexOf(' ')) : country)) {
                String city = CAPITALS.get(candidate.toLowerCase(Locale.ROOT));
                if (city != null) {
                    return Optional.of(new Fact("The capital of " + candidate + " is " + city + ".", city));
                }
            }
        }
        if ((systemText + " " + userText).toLowerCase(Locale.ROOT).contains("german")) {
            Matcher quoted = QUOTED.matcher(userText);
            while (quoted.find()) {
                String german = GERMAN.get(quoted.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[.!]$", ""));
                if (german != null) {
                    return Optional.of(new Fact("In German: «" + german + "».", german));
                }
            }
        }
        Matcher favorite = FAVORITE_QUESTION.matcher(userText);
        if (favorite.find()) {
            String thing = favorite.group(1);
            Pattern statement = Pattern.compile("(?i)\\bmy favou?rite " + Pattern.quote(thing) + " is (\\p{L}+)");
            for (int i = earlierUser.size() - 1; i >= 0; i--) {
                Matcher said = statement.matcher(earlierUser.get(i));
                if (said.find()) {
                    return Optional.of(new Fact("Your favorite " + thing + " is " + said.group(1) + ".", said.group(1)));
                }
            }
        }
        return Optional.empty();
    }

    /** Capitalised names after "in", "to", "from" or "at", in order: what a tool call's place arguments get. */
    static List<String> places(String userText) {
        List<String> places = new ArrayList<>();
        Matcher matcher = PLACE.matcher(userText);
        while (matcher.find()) {
            places.add(matcher.group(1));
        }
        return places;
    }

    /** The field a prompt asks a JSON answer to contain ("a single 'city' field"), or null. */
    static String requestedJsonField(String userText) {
        Matcher matcher = JSON_FIELD.matcher(userText);
        return matcher.find() ? matcher.group(1) : null;
    }
}
