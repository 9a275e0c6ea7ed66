package dev.projectdashboard.deploynotifier.deployment;

import java.time.Instant;

/** A stored log line; {@code seq} orders a deployment's lines by arrival and is where the next page starts. */
public record LogEntry(long seq, Instant timestamp, String level, String message, String source, String logStreamId) {}
