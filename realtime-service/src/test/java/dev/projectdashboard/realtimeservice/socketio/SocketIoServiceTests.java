package dev.projectdashboard.realtimeservice.socketio;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.e2e.HistoryApi;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * What the Socket.IO end-to-end test classes share: the whole service on a random port against the local stack (each
 * class adds its {@code @SpringBootTest} settings), the stock {@code socket.io-client} installed, and the deployment dashboard's
 * deployment notifications published as deploy-notifier does.
 */
@LocalStackTest
@DevelopmentSecrets
abstract class SocketIoServiceTests {

    static final Duration WAIT = Duration.ofSeconds(15);
    // the seed's frontend: io('https://host/project-dashboard/ws', {transports: ['websocket'], path: '/socket.io'})
    static final String SEED_NAMESPACE = "/project-dashboard/ws";

    @Autowired
    EventPublisher publisher;

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @BeforeAll
    static void installSocketIoClient() throws Exception {
        SocketIoClientDriver.install();
    }

    /** What an app passes to {@code io()}: this service, with the namespace as the URL's path. */
    String url(String namespace) {
        return "http://localhost:" + port + namespace;
    }

    /** Appends a deployment event to {@code events:deployments} as deploy-notifier does; answers its data. */
    JsonNode publishDeployment(String cloudEventType, String dataJson) {
        JsonNode data = json(dataJson);
        publisher
                .publish(Streams.DEPLOYMENTS, CloudEvent.of(cloudEventType, "/deploy-notifier", null, data))
                .block(WAIT);
        return data;
    }

    /** Waits until the sequencer has put an event in {@code channel} (its history has an offset). */
    void awaitSequenced(String channel) {
        HistoryApi.awaitOffset(client, channel, 1, WAIT);
    }

    static JsonNode json(String text) {
        return SocketIoClientDriver.JSON.readTree(text);
    }

    // the deployment notifications (docs/contracts.md, Deployments), minus "type" (which becomes the CloudEvent type)

    static String stepData(String project, String deployment, String status) {
        return """
                {"project":"%s","deployment_id":"%s","step_name":"部署验证","step_status":"%s",\
                "timestamp":"2024-01-01T12:00:00.000Z","workflow_name":"deploy-project","workflow_id":"987654321",\
                "logs":"开始验证部署参数","duration":0}"""
                .formatted(project, deployment, status);
    }

    static String completedData(String project, String deployment) {
        return """
                {"project":"%s","deployment_id":"%s","status":"success","duration":45,\
                "timestamp":"2024-01-01T12:01:00.000Z","workflow_name":"deploy-project","workflow_id":"987654321",\
                "logs":"部署成功，耗时 45 秒","started_at":"2024-01-01T12:00:15.000Z",\
                "completed_at":"2024-01-01T12:01:00.000Z"}"""
                .formatted(project, deployment);
    }

    static String logData(String project, String deployment) {
        return """
                {"project":"%s","deployment_id":"%s","log_stream_id":"deployment_123456789_1704110400",\
                "timestamp":"2024-01-01T12:00:30.000Z","level":"info","message":"正在上传构建产物...",\
                "source":"workflow"}"""
                .formatted(project, deployment);
    }

    static String metricsData(String project, String deployment) {
        return """
                {"project":"%s","deployment_id":"%s","timestamp":"2024-01-01T12:01:00.000Z",\
                "metrics":{"total_duration":45,"start_time":"2024-01-01T12:00:15.000Z",\
                "end_time":"2024-01-01T12:01:00.000Z","status":"success","steps_count":5,\
                "successful_steps":5,"failed_steps":0}}"""
                .formatted(project, deployment);
    }
}
