package io.llmgateway.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code GATEWAY_MODEL_ALIASES} rule: a requested model name matching {@code pattern} is sent as
 * {@code model}. In the pattern {@code *} matches any run of characters (also none); everything else is
 * literal and case-sensitive, like model ids.
 */
public record ModelAlias(String pattern, String model) {
    private static final String EXPECTED = "expected pattern=model, e.g. claude-*=gpt-4.1";

    public ModelAlias {
        String problem = problem(pattern, model);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid model alias '" + pattern + "=" + model + "': " + problem);
        }
        pattern = pattern.strip();
        model = model.strip();
    }

    /**
     * Parses {@code claude-*=gpt-4.1,gpt-4o=oca/gpt-4.1}; null or blank gives no aliases, and empty entries
     * (a trailing comma) are ignored.
     *
     * @throws IllegalArgumentException naming the first malformed entry
     */
    public static List<ModelAlias> parseList(String value) {
        List<ModelAlias> aliases = new ArrayList<>();
        if (value == null) {
            return aliases;
        }
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String problem = equals < 0 || entry.indexOf('=', equals + 1) >= 0 ? EXPECTED
                    : problem(entry.substring(0, equals), entry.substring(equals + 1));
            if (problem != null) {
                throw new IllegalArgumentException(
                        "Invalid GATEWAY_MODEL_ALIASES entry '" + entry + "': " + problem);
            }
            aliases.add(new ModelAlias(entry.substring(0, equals), entry.substring(equals + 1)));
        }
        return List.copyOf(aliases);
    }

    private static String problem(String pattern, String model) {
        if (pattern == null || pattern.isBlank() || model == null || model.isBlank()) {
            return EXPECTED;
        }
        return model.contains("*") ? "the model after '=' cannot contain '*'" : null;
    }

    /** Whether {@code name} matches the glob: leftmost matching of the literal pieces is enough for {@code *}. */
    public boolean matches(String name) {
        String[] pieces = pattern.split("\\*", -1);
        if (pieces.length == 1) {
            return name.equals(pattern);
        }
        String first = pieces[0];
        String last = pieces[pieces.length - 1];
        int end = name.length() - last.length();
        if (end < first.length() || !name.startsWith(first) || !name.endsWith(last)) {
            return false;
        }
        int position = first.length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int at = name.indexOf(pieces[i], position);
            if (at < 0 || at + pieces[i].length() > end) {
                return false;
            }
            position = at + pieces[i].length();
        }
        return true;
    }
}
