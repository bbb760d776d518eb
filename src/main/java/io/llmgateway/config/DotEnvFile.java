package io.llmgateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file the way python-dotenv (the seed project's reader) does: {@code export} prefixes,
 * unquoted values with {@code  #} comments, 'single' (literal) and "double" (escapes) quoted values.
 * Hand-written because dotenv-java drops {@code export} lines and keeps single quotes.
 */
public final class DotEnvFile {
    /** Group 1: key. Used by the in-place writer too, so both agree on what a key's line is. */
    public static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.\\-]*)\\s*=\\s*(.*)$");

    private DotEnvFile() {
    }

    /** The file's entries in file order (last assignment wins); an absent file is empty. */
    public static Map<String, String> read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches()) {
                values.put(m.group(1), value(m.group(2)));
            }
        }
        return values;
    }

    static String value(String raw) {
        String v = raw.strip();
        if (v.length() >= 2 && v.charAt(0) == '\'') {
            int end = v.indexOf('\'', 1);
            if (end > 0) {
                return v.substring(1, end);
            }
        }
        if (v.length() >= 2 && v.charAt(0) == '"') {
            return doubleQuoted(v);
        }
        int comment = v.indexOf(" #");
        return (comment >= 0 ? v.substring(0, comment) : v).strip();
    }

    private static String doubleQuoted(String v) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && i + 1 < v.length()) {
                char next = v.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return v.strip(); // unterminated quote: take the line as written
    }
}
