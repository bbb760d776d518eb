package io.llmgateway.testing;

import java.util.SplittableRandom;

/**
 * Runs a property over many seeded cases: each case gets its own seed (printed by the property on failure),
 * and {@code -Dprop.seed=<seed>} replays just that case.
 */
public final class SeededCases {
    /** One case of a property. */
    public interface Case {
        void run(long seed, SplittableRandom random);
    }

    private SeededCases() {
    }

    public static void forEach(long baseSeed, int count, Case property) {
        String only = System.getProperty("prop.seed");
        if (only != null) {
            long seed = Long.decode(only);
            property.run(seed, new SplittableRandom(seed));
            return;
        }
        SplittableRandom seeds = new SplittableRandom(baseSeed);
        for (int i = 0; i < count; i++) {
            long seed = seeds.nextLong();
            property.run(seed, new SplittableRandom(seed));
        }
    }
}
