package dev.pier.autoscale;

import java.time.Instant;

/**
 * A decision that changed the instance count: the API's {@code last_decision}.
 *
 * @param at when it was decided
 * @param from the count before
 * @param to the count after
 * @param reason the decision's reason, in words with the numbers
 */
public record Change(Instant at, int from, int to, String reason) {}
