package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * HiveMQ runs its Netty event loops inside every test JVM, where BlockHound watches them. These tests show that the
 * broker's own threads do not block under the traffic the services produce, so no allow-list is needed for it.
 */
@LocalStackTest
class EmbeddedBrokerBlockHoundTests {

    @Test
    void blockHoundIsWatchingNonBlockingThreadsInTheseTests() {
        Mono<Integer> blocking = Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return 1;
                })
                .subscribeOn(Schedulers.parallel());

        assertThatThrownBy(blocking::block).hasCauseInstanceOf(BlockingOperationError.class);
    }

    @Test
    void brokerServesSharedSubscriptionsRetainedMessagesAndWillsWithoutBlocking(LocalStack stack) throws Exception {
        String group = "bridge-" + UUID.randomUUID();
        AtomicInteger received = new AtomicInteger();
        List<Mqtt5AsyncClient> subscribers = new ArrayList<>();
        List<Mqtt5AsyncClient> publishers = new ArrayList<>();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Mqtt5AsyncClient subscriber = client("sub-" + i + "-" + group);
                subscriber
                        .connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(30)
                        .send()
                        .get(10, TimeUnit.SECONDS);
                subscriber
                        .subscribeWith()
                        .topicFilter("$share/" + group + "/devices/+/upload/request")
                        .qos(MqttQos.EXACTLY_ONCE)
                        .callback(publish -> received.incrementAndGet())
                        .send()
                        .get(10, TimeUnit.SECONDS);
                subscribers.add(subscriber);
            }
            for (int i = 0; i < 5; i++) {
                String device = "cam-" + i + "-" + group;
                Mqtt5AsyncClient publisher = MqttClient.builder()
                        .useMqttVersion5()
                        .identifier(device)
                        .serverHost(stack.mqttHost())
                        .serverPort(stack.mqttPort())
                        .willPublish()
                        .topic("devices/" + device + "/status")
                        .payload("offline".getBytes(StandardCharsets.UTF_8))
                        .applyWillPublish()
                        .buildAsync();
                publisher.connect().get(10, TimeUnit.SECONDS);
                publishers.add(publisher);
                for (int j = 0; j < 20; j++) {
                    sent.add(publisher
                            .publishWith()
                            .topic("devices/" + device + "/upload/request")
                            .qos(j % 2 == 0 ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE)
                            .payload(new byte[2048])
                            .send());
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(received).hasValue(100));
        } finally {
            for (Mqtt5AsyncClient publisher : publishers) {
                publisher.disconnect().get(10, TimeUnit.SECONDS);
            }
            for (Mqtt5AsyncClient subscriber : subscribers) {
                subscriber.disconnectWith().sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Mqtt5AsyncClient client(String identifier) {
        LocalStack stack = LocalStackExtension.localStack();
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(identifier)
                .serverHost(stack.mqttHost())
                .serverPort(stack.mqttPort())
                .buildAsync();
    }
}
