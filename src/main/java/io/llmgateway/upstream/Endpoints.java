package io.llmgateway.upstream;

import java.net.URI;

/** Where the upstream calls go: the configured URLs, or the built-in demo upstream over loopback. */
public interface Endpoints {
    URI chatCompletions();

    /** The model catalog, or null when none is configured. */
    URI models();

    URI token();

    /** True when answers come from the built-in simulator. */
    boolean demo();
}
