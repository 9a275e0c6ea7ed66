package dev.projectdashboard.realtimeservice.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class PublishRateLimiterTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        PublishRateLimiter limiter = new PublishRateLimiter(2, 3, now::get);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();

        now.addAndGet(499_000_000L); // just under one token at 2/s
        assertThat(limiter.tryAcquire()).isFalse();
        now.addAndGet(2_000_000L);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        PublishRateLimiter limiter = new PublishRateLimiter(10, 2, now::get);
        now.addAndGet(3_600_000_000_000L);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void clientPublishIsOffByDefaultAndNamespacesAreValidated() {
        ClientPublishProperties off = new ClientPublishProperties(List.of(), 5, 10, DataSize.ofKilobytes(4));
        assertThat(off.allows("chat")).isFalse();
        ClientPublishProperties chat = new ClientPublishProperties(List.of("chat"), 5, 10, DataSize.ofKilobytes(4));
        assertThat(chat.allows("chat")).isTrue();
        assertThat(chat.allows("task")).isFalse();
        assertThatThrownBy(() -> new ClientPublishProperties(List.of("Chat:"), 5, 10, DataSize.ofKilobytes(4)))
                .hasMessageContaining("dashboard.realtime.client-publish.namespaces");
    }
}
