/**
 * The Go buildpack: detects {@code go.mod}; builds with the server's Go, offline ({@code
 * GOPROXY=off}: standard library or vendored modules only), with the build cache kept per app,
 * into {@code /app/bin}.
 */
package dev.pier.build.go;
