/**
 * Typed {@code data} of every event type. Field names are those of the source documents in {@code shared/seeds}
 * (000 for {@code task.*}, {@code notification} and {@code file.*}, 001 for {@code device.*}, 002 for
 * {@code deployment.*}, 003 for {@code webhook.*}), snake_case on the wire through explicit {@code @JsonProperty}
 * so the format does not depend on how a service configures its own mapper. Absent optional fields are left out.
 */
package dev.projectdashboard.eventbus.payload;
