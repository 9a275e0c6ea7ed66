package dev.projectdashboard.eventbus;

import dev.projectdashboard.eventbus.payload.DeploymentCompleted;
import dev.projectdashboard.eventbus.payload.DeploymentLog;
import dev.projectdashboard.eventbus.payload.DeploymentMetrics;
import dev.projectdashboard.eventbus.payload.DeploymentStep;
import dev.projectdashboard.eventbus.payload.DeviceUploadCompleted;
import dev.projectdashboard.eventbus.payload.DeviceUploadFailed;
import dev.projectdashboard.eventbus.payload.DeviceUploadProgress;
import dev.projectdashboard.eventbus.payload.DeviceUploadRequested;
import dev.projectdashboard.eventbus.payload.DeviceUploadStarted;
import dev.projectdashboard.eventbus.payload.FileDeleted;
import dev.projectdashboard.eventbus.payload.FileUploaded;
import dev.projectdashboard.eventbus.payload.Notification;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.eventbus.payload.TaskFailed;
import dev.projectdashboard.eventbus.payload.TaskLog;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import dev.projectdashboard.eventbus.payload.TaskStatus;
import dev.projectdashboard.eventbus.payload.WebhookDeadLettered;
import dev.projectdashboard.eventbus.payload.WebhookDelivered;
import dev.projectdashboard.eventbus.payload.WebhookFailed;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** One realistic payload per event type, values taken from the source documents' examples. */
public final class EventSamples {

    private static final JsonMapper JSON = EventCodec.defaultMapper();

    private EventSamples() {}

    public static Map<EventType, Object> all() {
        String task = "123e4567-e89b-12d3-a456-426614174000";
        DeploymentStep step = new DeploymentStep(
                "axi-star-cloud",
                "123456789",
                "部署验证",
                "started",
                "2024-01-01T12:00:00.000Z",
                "deploy-project",
                "987654321",
                "开始验证部署参数",
                BigDecimal.ZERO);
        Map<EventType, Object> samples = new EnumMap<>(EventType.class);
        samples.put(EventType.DEPLOYMENT_STEP_STARTED, step);
        samples.put(EventType.DEPLOYMENT_STEP_COMPLETED, step);
        samples.put(EventType.DEPLOYMENT_STEP_FAILED, step);
        samples.put(
                EventType.DEPLOYMENT_COMPLETED,
                new DeploymentCompleted(
                        "axi-star-cloud",
                        "123456789",
                        "success",
                        BigDecimal.valueOf(45),
                        "2024-01-01T12:01:00.000Z",
                        "deploy-project",
                        "987654321",
                        "部署成功，耗时 45 秒",
                        "2024-01-01T12:00:15.000Z",
                        "2024-01-01T12:01:00.000Z"));
        samples.put(
                EventType.DEPLOYMENT_LOG,
                new DeploymentLog(
                        "axi-star-cloud",
                        "123456789",
                        "deployment_123456789_1704110400",
                        "2024-01-01T12:00:30.000Z",
                        "info",
                        "正在上传构建产物...",
                        "workflow"));
        samples.put(
                EventType.DEPLOYMENT_METRICS,
                new DeploymentMetrics(
                        "axi-star-cloud",
                        "123456789",
                        "2024-01-01T12:01:00.000Z",
                        new DeploymentMetrics.Metrics(
                                new BigDecimal("45.75"),
                                "2024-01-01T12:00:15.000Z",
                                "2024-01-01T12:01:00.000Z",
                                "success",
                                5,
                                5,
                                0)));
        samples.put(
                EventType.DEVICE_UPLOAD_REQUESTED,
                new DeviceUploadRequested(
                        "ESP32P4_CAM_001",
                        "upload_1a2b3c4d",
                        "143022_motion_video.ts",
                        15728640L,
                        2,
                        1691234567L,
                        JSON.readTree("{\"content_type\":\"video/mp2t\",\"format\":\"H264/MPEG-TS\","
                                + "\"trigger\":\"motion_detection\",\"duration\":120,\"resolution\":\"1080p\"}"),
                        "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
                        1691238167L));
        samples.put(
                EventType.DEVICE_UPLOAD_STARTED,
                new DeviceUploadStarted(
                        "ESP32P4_CAM_001",
                        "/sdcard/recordings/motion_20250711_143022.ts",
                        "motion_20250711_143022.ts",
                        "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
                        15728640L,
                        2,
                        1691234567L,
                        "upload_1a2b3c4d",
                        "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts"));
        samples.put(
                EventType.DEVICE_UPLOAD_PROGRESS,
                new DeviceUploadProgress(
                        "ESP32P4_CAM_001",
                        "/sdcard/recordings/motion_20250711_143022.ts",
                        45.2,
                        7108608L,
                        15728640L,
                        512,
                        18,
                        1691234580L,
                        "upload_1a2b3c4d",
                        "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts"));
        samples.put(
                EventType.DEVICE_UPLOAD_COMPLETED,
                new DeviceUploadCompleted(
                        "ESP32P4_CAM_001",
                        "/sdcard/recordings/motion_20250711_143022.ts",
                        "motion_20250711_143022.ts",
                        "https://bucket.example/ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
                        32,
                        491,
                        1691234599L,
                        "upload_1a2b3c4d",
                        "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts"));
        samples.put(
                EventType.DEVICE_UPLOAD_FAILED,
                new DeviceUploadFailed(
                        "ESP32P4_CAM_001",
                        "/sdcard/recordings/motion_20250711_143022.ts",
                        "motion_20250711_143022.ts",
                        "TIMEOUT",
                        "Upload timeout after 300 seconds",
                        2,
                        1691234899L,
                        "upload_1a2b3c4d",
                        "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts"));
        samples.put(EventType.TASK_PROGRESS, new TaskProgress("user123", task, 50, 10, 20, "正在渲染第10帧"));
        samples.put(EventType.TASK_STATUS, new TaskStatus("user123", task, "rendering", "任务正在渲染中"));
        samples.put(
                EventType.TASK_COMPLETED,
                new TaskCompleted(
                        "user123",
                        task,
                        List.of("frame_001.png", "frame_002.png"),
                        120.5,
                        60.25,
                        JSON.readTree("{\"invoice_number\":\"INV-2025-001\",\"amount\":1000.0}"),
                        JSON.readTree("{\"file_name\":\"invoice.pdf\",\"page_count\":3}")));
        samples.put(EventType.TASK_FAILED, new TaskFailed("user123", task, "渲染失败：内存不足", "详细错误信息..."));
        samples.put(EventType.TASK_LOG, new TaskLog("user123", task, "info", "frame 10 done"));
        samples.put(
                EventType.NOTIFICATION,
                new Notification("user123", "系统通知", "您的账户余额不足", "warning", "/billing/recharge"));
        samples.put(
                EventType.FILE_UPLOADED,
                new FileUploaded(
                        "user123",
                        task,
                        "scene.ma",
                        "scenes/20240101/" + task + "/scene.ma",
                        "https://bucket.example/scenes/20240101/" + task + "/scene.ma",
                        1024000L,
                        "application/octet-stream",
                        Instant.parse("2024-01-01T12:00:00Z")));
        samples.put(
                EventType.FILE_DELETED,
                new FileDeleted(
                        "user123",
                        task,
                        "scenes/20240101/" + task + "/scene.ma",
                        Instant.parse("2024-01-02T08:00:00.250Z")));
        samples.put(EventType.WEBHOOK_DELIVERED, new WebhookDelivered("T_20251214_0001", "WH_001", 200, 150L, 0));
        samples.put(
                EventType.WEBHOOK_FAILED,
                new WebhookFailed("T_20251214_0001", "WH_001", 503, "Service Unavailable", 30L, 1));
        samples.put(EventType.WEBHOOK_DEAD_LETTERED, new WebhookDeadLettered("T_20251214_0001", "WH_001", "连接超时", 3));
        return samples;
    }
}
