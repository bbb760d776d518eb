package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAliasTest {

    @Test
    void aListParsesIntoAliasesInOrderWithSpacesTrimmed() {
        // given
        String value = " claude-*=gpt-4.1 , gpt-4o = oca/gpt-4.1,";

        // when
        List<ModelAlias> aliases = ModelAlias.parseList(value);

        // then
        assertThat(aliases).containsExactly(
                new ModelAlias("claude-*", "gpt-4.1"), new ModelAlias("gpt-4o", "oca/gpt-4.1"));
    }

    @Test
    void anUnsetOrBlankListMeansNoAliases() {
        // given / when / then
        assertThat(ModelAlias.parseList(null)).isEmpty();
        assertThat(ModelAlias.parseList("  ")).isEmpty();
    }

    @Test
    void aMalformedEntryIsRejectedByName() {
        // given
        List<String> malformed = List.of("claude-*", "=gpt-4.1", "claude-*=", "a=b=c", "claude-*=gpt-*");

        // when / then
        for (String entry : malformed) {
            assertThatThrownBy(() -> ModelAlias.parseList("gpt-4o=gpt-4.1," + entry))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid GATEWAY_MODEL_ALIASES entry '" + entry + "': ");
        }
    }

    @Test
    void aStarMatchesAnyRunOfCharactersIncludingNone() {
        // given
        ModelAlias alias = new ModelAlias("claude-*", "gpt-4.1");

        // when / then
        assertThat(alias.matches("claude-sonnet-4-5-20250929")).isTrue();
        assertThat(alias.matches("claude-sonnet-4-5[1m]")).isTrue();
        assertThat(alias.matches("claude-")).isTrue();
        assertThat(alias.matches("claude")).isFalse();
        assertThat(alias.matches("my-claude-x")).isFalse();
    }

    @Test
    void starsInsideAndAroundThePatternMatchPiecesInOrder() {
        // given
        ModelAlias alias = new ModelAlias("*sonnet*-2025*", "x");

        // when / then
        assertThat(alias.matches("claude-sonnet-4-5-20250929")).isTrue();
        assertThat(alias.matches("claude-3-5-sonnet-20251022")).isTrue();
        assertThat(alias.matches("claude-sonnet-4-5-20240929")).isFalse();
        assertThat(new ModelAlias("a*a", "x").matches("a")).isFalse();
        assertThat(new ModelAlias("a*a", "x").matches("aa")).isTrue();
        assertThat(new ModelAlias("*", "x").matches("anything")).isTrue();
    }

    @Test
    void aPatternWithoutStarMatchesOnlyTheExactCaseSensitiveName() {
        // given
        ModelAlias alias = new ModelAlias("gpt-4o", "oca/gpt-4.1");

        // when / then
        assertThat(alias.matches("gpt-4o")).isTrue();
        assertThat(alias.matches("gpt-4o-mini")).isFalse();
        assertThat(alias.matches("GPT-4o")).isFalse();
    }

    @Test
    void dotsAndOtherRegexCharactersAreLiteral() {
        // given
        ModelAlias alias = new ModelAlias("gpt-4.1*", "x");

        // when / then
        assertThat(alias.matches("gpt-4.1-mini")).isTrue();
        assertThat(alias.matches("gpt-441")).isFalse();
    }
}
