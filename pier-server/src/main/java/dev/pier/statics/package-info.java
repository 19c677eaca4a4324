/**
 * Static releases on the server side: {@link dev.pier.statics.StaticSites} unpacks a static
 * release's files from its slug into a read-only directory under the data directory and tells
 * the {@link dev.pier.routing.RoutePublisher} what the router serves for it. For a release with
 * instances, {@link dev.pier.statics.SlugAppYaml} reads its app.yaml (handlers, liveness and
 * readiness settings) back from the slug, and {@code HandlerSites} unpacks the files its static
 * handlers may serve the same way.
 */
package dev.pier.statics;
