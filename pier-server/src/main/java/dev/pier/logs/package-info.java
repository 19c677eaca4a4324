/** The log stream: {@code LogBus} (recent lines, followers, sinks) and log drains. */
package dev.pier.logs;
