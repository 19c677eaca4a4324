/**
 * One-off processes ({@code pier run}, {@code pier run:detached}) and the launcher a scheduler
 * can call too: {@link dev.pier.oneoff.OneOffs} starts a task instance of an app's current
 * release ({@code run.1}, {@code run.2} …), enforces its time limit, hands its streams to one
 * attached client and stops it when that client goes away.
 */
package dev.pier.oneoff;
