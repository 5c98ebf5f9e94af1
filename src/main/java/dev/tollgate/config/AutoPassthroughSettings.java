package dev.tollgate.config;

import java.time.Duration;

/**
 * {@code interception.autoPassthrough}: opt-in blind tunnelling of hosts whose clients reject
 * the forged leaf (pinned clients), so each such host need not be found in the logs and added to
 * {@code passthrough} by hand.
 *
 * @param failures rejections of the forged leaf for one host that put it in the table
 * @param window the time within which those rejections must fall
 * @param ttl how long a host stays tunnelled blind before it is intercepted again
 * @param maxHosts most hosts in the table at once; more are refused (and logged) while it is full
 */
public record AutoPassthroughSettings(boolean enabled, int failures, Duration window, Duration ttl, int maxHosts) {}
