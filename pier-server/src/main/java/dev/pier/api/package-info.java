/**
 * The REST API the CLI and the console use: one servlet ({@link dev.pier.api.ApiServlet}) with
 * routes grouped by resource ({@code AppRoutes}, {@code ConfigRoutes}, {@code DeployRoutes} ...).
 *
 * <pre>
 *   request -> ApiServlet (auth: token or console session; 401 before 404/405)
 *           -> route handler -> domain service -> JSON / NDJSON stream
 *   PlatformException -> ApiErrors (problem+json, one place); Jetty's own errors -> JettyErrors
 * </pre>
 */
package dev.pier.api;
