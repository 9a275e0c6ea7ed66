package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code notification}: source 000's {@code notification} fields ({@code type} is the source's
 * {@code notification_type}: info, warning, …). {@code user_id} names the recipient; absent for a broadcast to
 * {@code system:notifications}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(
        @JsonProperty("user_id") String userId,
        @JsonProperty("title") String title,
        @JsonProperty("message") String message,
        @JsonProperty("type") String type,
        @JsonProperty("action_url") String actionUrl) {}
