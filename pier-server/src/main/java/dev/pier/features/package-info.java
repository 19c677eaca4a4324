/**
 * Per-app features ({@code pier features}, {@code features:enable}, {@code features:disable}), in
 * the shape of Heroku's: named switches, off by default. Today's features are the router's HTTPS
 * handling: {@code https-only} (a 308 from plain HTTP to HTTPS) and {@code hsts}. Switches are
 * stored per app ({@link dev.pier.features.FeatureStore}, rows that follow a rename and go with
 * the app) and published on each of the app's routes as {@link dev.pier.model.RouteHttps}.
 */
package dev.pier.features;
