package dev.projectdashboard.realtimeservice.fanout;

import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.history.RedisChannelOwners;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two replicas of the hub, {@code a} and {@code b}, on the local stack's Redis: started before each test, stopped
 * after it. A test class extends this and may give both replicas other settings ({@link #properties()}) or another
 * policy ({@link #policy()}).
 */
@LocalStackTest
public abstract class TwoReplicaTests {

    protected DeliveryFixture fixture;
    protected Replica a;
    protected Replica b;

    /** The hub settings both replicas run with; the defaults unless overridden. */
    protected HubProperties properties() {
        return DeliveryFixture.hub();
    }

    /** The channel policy of both replicas: everything allowed unless overridden. */
    protected Function<RedisConnections, ChannelPolicy> policy() {
        return connections -> DeliveryFixture.permissive();
    }

    @BeforeEach
    void startReplicas() {
        fixture = new DeliveryFixture();
        a = fixture.replica("a", properties(), policy()).start();
        b = fixture.replica("b", properties(), policy()).start();
    }

    /** Waits until the sequencer has recorded {@code owner} as the owner of {@code channel} ({@code rt:owner:}). */
    protected void awaitOwner(String channel, String owner) {
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> owner.equals(new RedisChannelOwners(a.connections)
                        .ownerOf(ChannelName.parse(channel))
                        .block(DeliveryFixture.WAIT)));
    }

    @AfterEach
    void stopReplicas() {
        fixture.close();
    }
}
