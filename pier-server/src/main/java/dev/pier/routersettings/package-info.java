/**
 * Per-app router limits ({@code pier router:settings}): the request (first byte) timeout, the
 * largest request body, the keep-alive idle timeout and the WebSocket idle timeout, each either the
 * router's default or the app's own value. The app's own values are stored per app ({@link
 * dev.pier.routersettings.RouterSettingsStore}), published to the router on each app's {@link
 * dev.pier.model.Route} as {@link dev.pier.model.RouteLimits}, and applied per request once the
 * router knows the app from the Host header. Limits that apply before the Host header is read
 * (the request head deadline, the largest request line and headers) are router-wide and shown
 * read-only.
 */
package dev.pier.routersettings;
