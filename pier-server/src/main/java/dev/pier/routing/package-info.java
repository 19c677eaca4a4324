/** Publishes the route table the router serves from: apps, versions, splits, ready instances. */
package dev.pier.routing;
