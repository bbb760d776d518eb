package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class SleeperTest {

    @Test
    void givenTheRealSleeperWhenAStreamWaitsToRetryThenTheRetryIsScheduledInsteadOfHoldingAThread() {
        // given
        ScheduledExecutorService timer = mock(ScheduledExecutorService.class);
        Runnable retry = () -> { };

        // when
        UpstreamClient.Sleeper.REAL.schedule(Duration.ofMillis(750), retry, timer);

        // then
        verify(timer).schedule(retry, 750_000_000L, TimeUnit.NANOSECONDS);
        verifyNoMoreInteractions(timer);
    }

    @Test
    void givenARecordingSleeperWhenAStreamWaitsToRetryThenTheWaitIsRecordedAndTheRetryRunsOnTheTimer() {
        // given
        List<Duration> waits = new ArrayList<>();
        UpstreamClient.Sleeper recording = waits::add;
        ScheduledExecutorService timer = mock(ScheduledExecutorService.class);
        List<String> ran = new ArrayList<>();

        // when
        recording.schedule(Duration.ofSeconds(1), () -> ran.add("retry"), timer);
        ArgumentCaptor<Runnable> task = ArgumentCaptor.forClass(Runnable.class);
        verify(timer).execute(task.capture());
        task.getValue().run();

        // then
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("retry");
    }
}
