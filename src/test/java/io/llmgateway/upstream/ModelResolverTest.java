package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelResolverTest {
    private static final List<ModelInfo> UNVERIFIABLE = List.of();

    private static List<ModelInfo> catalog(String... ids) {
        return Arrays.stream(ids).map(ModelInfo::named).toList();
    }

    private static ModelResolver resolver(String aliases, String prefix, boolean fallback, String defaultModel) {
        return new ModelResolver(ModelAlias.parseList(aliases), prefix, fallback, defaultModel);
    }

    @Test
    void aListedModelIsSentAsIs() {
        // given
        ModelResolver resolver = resolver("", "oca/", false, "oca/gpt-4.1");

        // when
        Resolution resolution = resolver.resolve("oca/llama-4", catalog("oca/gpt-4.1", "oca/llama-4"));

        // then
        assertThat(resolution).isEqualTo(new Resolution("oca/llama-4", true, "listed in the catalog", List.of()));
    }

    @Test
    void theFirstMatchingAliasWins() {
        // given
        ModelResolver resolver = resolver("claude-haiku-*=gpt-4.1-mini,claude-*=gpt-4.1,*=oca/other", null, false,
                null);
        List<ModelInfo> catalog = catalog("gpt-4.1", "gpt-4.1-mini", "oca/other");

        // when
        Resolution haiku = resolver.resolve("claude-haiku-4-5-20251001", catalog);
        Resolution sonnet = resolver.resolve("claude-sonnet-4-5[1m]", catalog);

        // then
        assertThat(haiku.model()).isEqualTo("gpt-4.1-mini");
        assertThat(sonnet.model()).isEqualTo("gpt-4.1");
        assertThat(sonnet.reason()).isEqualTo("alias 'claude-*' gave 'gpt-4.1'; listed in the catalog");
    }

    @Test
    void theConfiguredPrefixIsAddedWhenOnlyThePrefixedNameIsListed() {
        // given
        ModelResolver resolver = resolver("claude-*=gpt-4.1", "oca/", false, null);
        List<ModelInfo> catalog = catalog("oca/gpt-4.1");

        // when
        Resolution direct = resolver.resolve("gpt-4.1", catalog);
        Resolution aliased = resolver.resolve("claude-opus-4-8", catalog);

        // then
        assertThat(direct.model()).isEqualTo("oca/gpt-4.1");
        assertThat(aliased.model()).isEqualTo("oca/gpt-4.1");
    }

    @Test
    void aPrefixedRequestIsSentWithoutThePrefixWhenOnlyTheBareNameIsListed() {
        // given
        ModelResolver resolver = resolver("", "oca/", false, null);

        // when
        Resolution resolution = resolver.resolve("oca/gpt-4.1", catalog("gpt-4.1"));

        // then
        assertThat(resolution.model()).isEqualTo("gpt-4.1");
    }

    @Test
    void theNameAsRequestedWinsOverItsPrefixedSpelling() {
        // given
        ModelResolver resolver = resolver("", "oca/", false, null);

        // when
        Resolution resolution = resolver.resolve("gpt-4.1", catalog("oca/gpt-4.1", "gpt-4.1"));

        // then
        assertThat(resolution.model()).isEqualTo("gpt-4.1");
    }

    @Test
    void anUnlistedModelGoesToTheDefaultWhenFallbackIsOn() {
        // given
        ModelResolver resolver = resolver("", "oca/", true, "gpt-4.1");

        // when
        Resolution resolution = resolver.resolve("gpt-5-turbo", catalog("oca/gpt-4.1", "oca/llama-4"));

        // then
        assertThat(resolution.found()).isTrue();
        assertThat(resolution.model()).isEqualTo("oca/gpt-4.1");
        assertThat(resolution.reason()).contains("'gpt-5-turbo' is not in the catalog");
    }

    @Test
    void anUnlistedModelIsNotFoundWithTheAvailableModelsWhenFallbackIsOff() {
        // given
        ModelResolver resolver = resolver("", "oca/", false, "oca/gpt-4.1");

        // when
        Resolution resolution = resolver.resolve("gpt-5-turbo", catalog("oca/gpt-4.1", "oca/llama-4"));

        // then
        assertThat(resolution).isEqualTo(new Resolution("gpt-5-turbo", false,
                "The model 'gpt-5-turbo' does not exist. Available models: oca/gpt-4.1, oca/llama-4",
                List.of("oca/gpt-4.1", "oca/llama-4")));
    }

    @Test
    void anUnlistedModelIsNotFoundWhenFallbackIsOnButNoDefaultIsConfigured() {
        // given
        ModelResolver resolver = resolver("", null, true, " ");

        // when
        Resolution resolution = resolver.resolve("gpt-5-turbo", catalog("a"));

        // then
        assertThat(resolution.found()).isFalse();
        assertThat(resolution.available()).containsExactly("a");
    }

    @Test
    void aNotFoundAliasTargetIsNamedInTheMessage() {
        // given
        ModelResolver resolver = resolver("claude-*=gpt-9", null, false, null);

        // when
        Resolution resolution = resolver.resolve("claude-opus-4-8", catalog("a"));

        // then
        assertThat(resolution.reason())
                .isEqualTo("The model 'claude-opus-4-8' (alias for 'gpt-9') does not exist. Available models: a");
    }

    @Test
    void aRequestWithoutModelGetsTheDefaultInItsListedSpelling() {
        // given
        ModelResolver resolver = resolver("", "oca/", false, "gpt-4.1");

        // when
        Resolution missing = resolver.resolve(null, catalog("oca/gpt-4.1"));
        Resolution blank = resolver.resolve("  ", catalog("oca/gpt-4.1"));

        // then
        assertThat(missing.model()).isEqualTo("oca/gpt-4.1");
        assertThat(blank.model()).isEqualTo("oca/gpt-4.1");
    }

    @Test
    void aRequestWithoutModelIsNotFoundWhenNoDefaultIsConfigured() {
        // given
        ModelResolver resolver = resolver("", null, true, null);

        // when
        Resolution resolution = resolver.resolve("", catalog("a", "b"));

        // then
        assertThat(resolution).isEqualTo(new Resolution(null, false,
                "No model was requested and no default model is configured. Available models: a, b",
                List.of("a", "b")));
    }

    @Test
    void withoutACatalogAnExplicitModelIsPassedThroughRatherThanReplacedByTheDefault() {
        // given
        ModelResolver resolver = resolver("", null, true, "gpt-4.1");

        // when
        Resolution resolution = resolver.resolve("llama-4", UNVERIFIABLE);

        // then
        assertThat(resolution).isEqualTo(new Resolution("llama-4", true,
                "no catalog to verify against: passed through", List.of()));
    }

    @Test
    void withoutACatalogThePrefixIsAddedAsTheSeedDid() {
        // given
        ModelResolver resolver = resolver("claude-*=gpt-4.1", "oca/", true, "gpt-4.1");

        // when
        Resolution bare = resolver.resolve("llama-4", UNVERIFIABLE);
        Resolution prefixed = resolver.resolve("oca/llama-4", UNVERIFIABLE);
        Resolution aliased = resolver.resolve("claude-sonnet-4-5-20250929", UNVERIFIABLE);
        Resolution noModel = resolver.resolve(null, UNVERIFIABLE);

        // then
        assertThat(bare.model()).isEqualTo("oca/llama-4");
        assertThat(prefixed.model()).isEqualTo("oca/llama-4");
        assertThat(aliased.model()).isEqualTo("oca/gpt-4.1");
        assertThat(noModel.model()).isEqualTo("oca/gpt-4.1");
    }

    @Test
    void withoutACatalogARequestWithoutModelAndNoDefaultIsNotFound() {
        // given
        ModelResolver resolver = resolver("", null, true, null);

        // when
        Resolution resolution = resolver.resolve(null, UNVERIFIABLE);

        // then
        assertThat(resolution.found()).isFalse();
        assertThat(resolution.reason()).isEqualTo(
                "No model was requested and no default model is configured. No models are available.");
    }

    @Test
    void anUnlistedDefaultIsStillSentAsConfigured() {
        // given
        ModelResolver resolver = resolver("", null, true, "gpt-4.1");

        // when
        Resolution resolution = resolver.resolve("nope", catalog("llama-4"));

        // then
        assertThat(resolution.found()).isTrue();
        assertThat(resolution.model()).isEqualTo("gpt-4.1");
    }
}
