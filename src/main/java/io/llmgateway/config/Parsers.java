package io.llmgateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Value parsers whose messages say what was expected (and never echo the value, which may be a secret). */
final class Parsers {
    private Parsers() {
    }

    /** A whole number > 0; {@code expected} says what the key wanted. */
    static int positiveInt(String s, String expected) {
        try {
            int n = Integer.parseInt(s.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(expected);
    }

    static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    static double decimal(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number");
        }
    }

    static Function<String, Double> decimalBetween(double min, double max) {
        return s -> {
            double d = decimal(s);
            if (d < min || d > max || Double.isNaN(d)) {
                throw new IllegalArgumentException("expected a number from " + min + " to " + max);
            }
            return d;
        };
    }

    /** Seconds as a decimal ("2", "0.5"), as the seed's configuration wrote timeouts. */
    static Duration seconds(String s) {
        double d = decimal(s);
        if (d <= 0 || Double.isInfinite(d) || Double.isNaN(d)) {
            throw new IllegalArgumentException("expected a positive number of seconds");
        }
        return Duration.ofNanos(Math.round(d * 1_000_000_000L));
    }

    static Duration hoursOrZero(String s) {
        double d = decimal(s);
        if (d < 0 || Double.isInfinite(d) || Double.isNaN(d)) {
            throw new IllegalArgumentException("expected hours >= 0 (0 turns it off)");
        }
        return Duration.ofSeconds(Math.round(d * 3600));
    }

    static URI httpUrl(String s) {
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected a URL such as https://host/path");
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("expected an http:// or https:// URL with a host");
        }
        return uri;
    }

    static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
