/** The web console: static pages over the API, with cookie sessions and a CSRF header. */
package dev.pier.console;
