package dev.projectdashboard.realtimeservice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.realtimeservice.channel.Publication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class OutboxTests {

    private final AtomicInteger overflows = new AtomicInteger();
    private final List<Publication> sent = new ArrayList<>();
    private final Outbox.Listener listener = new Outbox.Listener() {
        @Override
        public void sent(Publication publication) {
            sent.add(publication);
        }

        @Override
        public void overflow() {
            overflows.incrementAndGet();
        }
    };

    @Test
    void overflowsOnceWhenQueuedBytesPassTheLimitAndRefusesEverythingAfter() {
        Outbox outbox = new Outbox(10, p -> p.dataJson(), listener);

        assertThat(outbox.offer("12345")).isTrue();
        assertThat(outbox.offer("12345")).isTrue();
        assertThat(outbox.queuedBytes()).isEqualTo(10);
        assertThat(outbox.offer("1")).isFalse();
        assertThat(outbox.offer("1")).isFalse();

        assertThat(overflows).hasValue(1);
        assertThat(outbox.isOpen()).isFalse();
        // an overflowed outbox sends nothing more: its client is being cut off
        StepVerifier.create(outbox.messages(new TestSession())).verifyComplete();
    }

    @Test
    void countsBytesInUtf8AndReleasesThemWhenHandedToTheSocket() {
        Outbox outbox = new Outbox(1000, p -> p.dataJson(), listener);
        Publication publication = publication("{\"x\":\"é€😀\"}");

        assertThat(outbox.offer(publication)).isTrue();
        // é = 2, € = 3, 😀 = 4 bytes
        assertThat(outbox.queuedBytes()).isEqualTo(8 + 2 + 3 + 4);

        StepVerifier.create(outbox.messages(new TestSession()))
                .assertNext(message -> assertThat(message.getPayloadAsText()).isEqualTo("{\"x\":\"é€😀\"}"))
                .then(outbox::close)
                .verifyComplete();
        assertThat(outbox.queuedBytes()).isZero();
        assertThat(sent).containsExactly(publication);
    }

    @Test
    void keepsEveryFrameOfConcurrentProducersInPerProducerOrder() throws InterruptedException {
        Outbox outbox = new Outbox(100_000_000, p -> p.dataJson(), listener);
        int producers = 4;
        int perProducer = 20_000;
        List<String> received = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        // the consumer drains while producers offer: the drain loop races the offers
        var subscription = outbox.messages(new TestSession()).subscribe(m -> received.add(m.getPayloadAsText()));
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perProducer; i++) {
                    assertThat(outbox.offer(producer + ":" + i)).isTrue();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        subscription.dispose();

        assertThat(received).hasSize(producers * perProducer);
        int[] next = new int[producers];
        for (String frame : received) {
            int producer = frame.charAt(0) - '0';
            assertThat(Integer.parseInt(frame.substring(2))).isEqualTo(next[producer]++);
        }
        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void dropsWhatIsStillQueuedWhenClosed() {
        Outbox outbox = new Outbox(1000, p -> p.dataJson(), listener);
        outbox.offer("a");
        outbox.offer("b");
        outbox.close();

        assertThat(outbox.offer("c")).isFalse();
        StepVerifier.create(outbox.messages(new TestSession())).verifyComplete();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void sendsPingFramesInQueueOrder() {
        Outbox outbox = new Outbox(1000, p -> p.dataJson(), listener);
        outbox.offer("a");
        outbox.offerPing();

        StepVerifier.create(outbox.messages(new TestSession()))
                .assertNext(message -> assertThat(message.getType()).isEqualTo(WebSocketMessage.Type.TEXT))
                .assertNext(message -> assertThat(message.getType()).isEqualTo(WebSocketMessage.Type.PING))
                .then(outbox::close)
                .verifyComplete();
        assertThat(sent).containsExactly((Publication) null);
    }

    private static Publication publication(String data) {
        return new Publication("task:t1", 1, "e", "task.progress", "id", Instant.now(), data);
    }

    /** Only builds messages: the outbox never sends itself. */
    private static final class TestSession extends AbstractWebSocketSession<Object> {

        TestSession() {
            super(
                    new Object(),
                    "s",
                    new HandshakeInfo(
                            java.net.URI.create("ws://x/ws"),
                            new org.springframework.http.HttpHeaders(),
                            Mono.empty(),
                            null),
                    DefaultDataBufferFactory.sharedInstance);
        }

        @Override
        public Flux<WebSocketMessage> receive() {
            return Flux.never();
        }

        @Override
        public Mono<Void> send(org.reactivestreams.Publisher<WebSocketMessage> messages) {
            return Mono.never();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Mono<Void> close(org.springframework.web.reactive.socket.CloseStatus status) {
            return Mono.empty();
        }

        @Override
        public Mono<org.springframework.web.reactive.socket.CloseStatus> closeStatus() {
            return Mono.never();
        }
    }
}
