/** Redis-streams transport on Lettuce's reactive API: publisher, consumer groups, fan-out tailer, metrics. */
package dev.projectdashboard.eventbus.redis;
