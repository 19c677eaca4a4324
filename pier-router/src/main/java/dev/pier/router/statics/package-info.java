/**
 * Static releases served by the router itself, from a read-only copy of the release's files,
 * with no app instance: {@link dev.pier.router.statics.StaticResponder} answers one request of a
 * version whose {@link dev.pier.model.VersionRoute#site()} is set, following the site's {@code
 * static.json} rules ({@link dev.pier.router.statics.SiteFiles} finds the file, {@link
 * dev.pier.router.statics.ByteRange} reads a Range header, {@link
 * dev.pier.router.statics.ContentTypes} names the type). It also answers the paths an app.yaml
 * static handler matches for a version served by instances ({@link
 * dev.pier.model.VersionRoute#handlers()}, {@link
 * dev.pier.router.statics.StaticResponder#serveHandler}). Bodies go out as file regions (sendfile
 * on Linux) so nothing is read into memory; the only blocking call on the event loop is opening
 * the file (and, once per path and release, looking it up on disk).
 */
package dev.pier.router.statics;
