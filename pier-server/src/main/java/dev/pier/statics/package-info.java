/**
 * Static releases on the server side: {@link dev.pier.statics.StaticSites} unpacks a static
 * release's files from its slug into a read-only directory under the data directory and tells
 * the {@link dev.pier.routing.RoutePublisher} what the router serves for it.
 */
package dev.pier.statics;
