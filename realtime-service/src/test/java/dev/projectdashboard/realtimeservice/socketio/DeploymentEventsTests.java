package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract's {@code event} (docs/contracts.md) frames rendered from publications. */
class DeploymentEventsTests {

    private static Publication publication(String type, String data) {
        return new Publication("project:axi-star-cloud", 7, "ep0ch", type, "e-1", Instant.EPOCH, data);
    }

    @ParameterizedTest
    @CsvSource({
        "deployment.step_started, step_started",
        "deployment.step_completed, step_completed",
        "deployment.step_failed, step_completed",
        "deployment.completed, deployment_completed",
        "deployment.log, log_entry",
        "deployment.metrics, metrics_update"
    })
    void mapsEveryDeploymentTypeToSource002sType(String cloudEventType, String socketIoType) {
        assertThat(DeploymentEvents.typeOf(cloudEventType)).isEqualTo(socketIoType);
    }

    @Test
    void rendersTheDataVerbatimAsPayloadWithChannelAndOffset() {
        String data = "{\"project\":\"axi-star-cloud\",\"logs\":\"开始验证部署参数\",\"duration\":0}";

        String frame = DeploymentEvents.frame(publication(EventTypes.DEPLOYMENT_STEP_STARTED, data), "/");

        assertThat(frame)
                .isEqualTo("42[\"event\",{\"type\":\"step_started\",\"payload\":" + data
                        + ",\"channel\":\"project:axi-star-cloud\",\"offset\":7}]");
        assertThat(SocketIoPackets.decode(frame)
                        .argument(0)
                        .path("payload")
                        .path("logs")
                        .asString())
                .isEqualTo("开始验证部署参数");
    }

    @Test
    void listsTheConnectionsOtherChannelOfTheEventInAlso() {
        Position project = new Position("project:axi-star-cloud", 7, "ep0ch");
        Position deployment = new Position("deployment:123456789", 3, "ep1");
        Publication event = new Publication(
                project, EventTypes.DEPLOYMENT_LOG, "e-1", Instant.EPOCH, "{}", List.of(project, deployment));

        String frame = DeploymentEvents.frame(event.named(project, List.of(deployment)), "/");

        assertThat(frame)
                .isEqualTo("42[\"event\",{\"type\":\"log_entry\",\"payload\":{},\"channel\":\"project:axi-star-cloud\","
                        + "\"offset\":7,\"also\":[{\"channel\":\"deployment:123456789\",\"offset\":3}]}]");
    }

    @Test
    void rendersOncePerNamespaceWithTheNamespacePrefix() {
        Publication publication = publication(EventTypes.DEPLOYMENT_LOG, "{}");

        String seed = DeploymentEvents.frame(publication, "/project-dashboard/ws");

        assertThat(seed).startsWith("42/project-dashboard/ws,[\"event\",{\"type\":\"log_entry\"");
        assertThat(DeploymentEvents.frame(publication, "/project-dashboard/ws")).isSameAs(seed);
        assertThat(DeploymentEvents.frame(publication, "/")).startsWith("42[\"event\"");
    }

    @Test
    void skipsEverythingButDeploymentEvents() {
        assertThat(DeploymentEvents.frame(publication(EventTypes.TASK_PROGRESS, "{}"), "/"))
                .isNull();
        assertThat(DeploymentEvents.typeOf("notification")).isNull();
    }
}
