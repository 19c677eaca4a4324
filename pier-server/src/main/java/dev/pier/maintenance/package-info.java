/**
 * Maintenance mode (#10): which apps are in it and the page the router answers their requests
 * with. The flag is stored on the app's row; {@link dev.pier.routing.RoutePublisher} puts a
 * {@link dev.pier.model.Maintenance} on the app's routes while it is on.
 */
package dev.pier.maintenance;
