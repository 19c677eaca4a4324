/**
 * Values shared by every Pier module: names validated at construction (the single security
 * boundary for anything derived from user input) and the route snapshot the control plane hands
 * to the router. No behaviour and no dependencies live here.
 */
package dev.pier.model;
