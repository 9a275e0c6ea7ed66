package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two replicas of the hub, {@code a} and {@code b}, on the local stack's Redis: started before each test, stopped
 * after it. A test class extends this and may give both replicas other settings ({@link #properties()}).
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

    @BeforeEach
    void startReplicas() {
        fixture = new DeliveryFixture();
        a = fixture.replica("a", properties()).start();
        b = fixture.replica("b", properties()).start();
    }

    @AfterEach
    void stopReplicas() {
        fixture.close();
    }
}
