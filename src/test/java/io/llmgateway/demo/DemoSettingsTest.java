package io.llmgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

    @Test
    void usesTheDefaultsWhenNoInitParameterIsSet() {
        // given
        Map<String, String> initParameters = Map.of();

        // when
        DemoSettings settings = DemoSettings.fromInitParameters(initParameters::get);

        // then
        assertThat(settings.tokenLifetime()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(settings.eventDelay()).isEqualTo(Duration.ofMillis(15));
    }

    @Test
    void readsTheDelayAndLifetimeFromInitParameters() {
        // given
        Map<String, String> initParameters = Map.of(
                DemoSettings.EVENT_DELAY_PARAM, " 0 ",
                DemoSettings.TOKEN_LIFETIME_PARAM, "120");

        // when
        DemoSettings settings = DemoSettings.fromInitParameters(initParameters::get);

        // then
        assertThat(settings.eventDelay()).isZero();
        assertThat(settings.tokenLifetime()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void rejectsAMalformedInitParameter() {
        // given
        Map<String, String> initParameters = Map.of(DemoSettings.EVENT_DELAY_PARAM, "15ms");

        // when / then
        assertThatThrownBy(() -> DemoSettings.fromInitParameters(initParameters::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DemoSettings.EVENT_DELAY_PARAM);
    }

    @Test
    void rejectsANegativeDelayAndASubSecondLifetime() {
        // given
        Clock clock = Clock.systemUTC();

        // when / then
        assertThatThrownBy(() -> new DemoSettings(Duration.ofSeconds(1), Duration.ofMillis(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoSettings(Duration.ofMillis(500), Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
