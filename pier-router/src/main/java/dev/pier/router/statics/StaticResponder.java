package dev.pier.router.statics;

import dev.pier.model.ReservedHeaders;
import dev.pier.model.StaticHandler;
import dev.pier.model.StaticHandlers;
import dev.pier.model.StaticSite;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.Locale;

/**
 * Answers one request of a static version from its site's files, as a web server would: GET and
 * HEAD; {@code static.json} https_only, redirects, clean_urls, routes (rewrites), headers and
 * error_page; ETag with If-None-Match, Last-Modified with If-Modified-Since; one byte range (206,
 * or 416 beyond the end); a precompressed {@code .br} or {@code .gz} sibling chosen by
 * Accept-Encoding (with {@code Vary: Accept-Encoding}); the body as a file region (zero copy).
 *
 * <p>Order: method, https_only, path check (a {@code ..} segment, a NUL or a backslash is 400),
 * redirects, clean_urls {@code .html} redirect, the file (a directory serves its index.html, with
 * a redirect to add the trailing slash), clean_urls {@code PATH.html}, routes, then 404 (the
 * error_page, else the root's 404.html, else a small page).
 *
 * <p>Runs on the client channel's event loop; the only blocking calls are the first lookup of a
 * path ({@link SiteFiles}) and opening the file.
 */
public final class StaticResponder {
  private static final String ALLOW = "GET, HEAD";

  private StaticResponder() {}

  /**
   * What was sent.
   *
   * @param status the response status
   * @param bytes body bytes written (0 for HEAD and 304)
   * @param written completes when the last part is written to the client
   */
  public record Served(int status, long bytes, ChannelFuture written) {}

  /**
   * Writes and flushes the whole answer to {@code request}.
   *
   * @param keepAlive false adds {@code Connection: close}
   * @param setCookie a {@code Set-Cookie} value to add (the traffic split's), or null
   */
  public static Served serve(ChannelHandlerContext ctx, HttpRequest request, StaticSite site,
      String requestId, boolean keepAlive, String setCookie) {
    return serve(ctx, request, site, requestId, keepAlive, setCookie, Secure.PLAIN);
  }

  /**
   * As above, for a request that came over {@code secure}'s connection: {@code https_only} goes
   * by that connection's protocol (never by a header the client sent) and redirects to the
   * router's HTTPS port; its HSTS value is added.
   */
  public static Served serve(ChannelHandlerContext ctx, HttpRequest request, StaticSite site,
      String requestId, boolean keepAlive, String setCookie, Secure secure) {
    return write(ctx, request, answer(request, site, secure), requestId, keepAlive, setCookie, secure.hsts());
  }

  /**
   * Writes and flushes the answer of an app.yaml static handler that matched {@code request}
   * ({@code match}, from {@link StaticHandlers#match}): the file with the handler's cache time,
   * {@code http_headers} and {@code mime_type}; 404 when the handler's file does not exist (as on
   * App Engine: the request does not fall through to the app); 400 for a path leaving the
   * handler's files; 405 for methods other than GET and HEAD.
   */
  public static Served serveHandler(ChannelHandlerContext ctx, HttpRequest request,
      StaticHandlers handlers, StaticHandlers.Match match, String requestId, boolean keepAlive,
      String setCookie) {
    return serveHandler(ctx, request, handlers, match, requestId, keepAlive, setCookie, null);
  }

  /** As above, adding {@code Strict-Transport-Security: hsts} unless {@code hsts} is null. */
  public static Served serveHandler(ChannelHandlerContext ctx, HttpRequest request,
      StaticHandlers handlers, StaticHandlers.Match match, String requestId, boolean keepAlive,
      String setCookie, String hsts) {
    return write(ctx, request, handlerAnswer(request, handlers, match), requestId, keepAlive, setCookie, hsts);
  }

  private static Answer handlerAnswer(HttpRequest request, StaticHandlers handlers, StaticHandlers.Match match) {
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      FullHttpResponse r = plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "Static files answer GET and HEAD only.");
      r.headers().set(HttpHeaderNames.ALLOW, ALLOW);
      return Answer.full(r);
    }
    if (match.file() == null) return Answer.full(plain(HttpResponseStatus.BAD_REQUEST, "The path is not valid."));
    SiteFiles.Lookup found = SiteFiles.of(handlers.root()).lookup(match.file());
    if (!(found instanceof SiteFiles.File file)) {
      return Answer.full(plain(HttpResponseStatus.NOT_FOUND, "There is no file at this address."));
    }
    Answer answer = fileAnswer(request, file);
    StaticHandler h = match.handler();
    HttpHeaders out = answer.head.headers();
    if (h.mimeType() != null && out.contains(HttpHeaderNames.CONTENT_TYPE)) {
      out.set(HttpHeaderNames.CONTENT_TYPE, h.mimeType());
    }
    if (h.maxAgeSeconds() != null) {
      out.set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=" + h.maxAgeSeconds());
    }
    setUserHeaders(out, h.headers());
    return answer;
  }

  /**
   * The client connection a static answer goes out on: whether it is TLS, the router's HTTPS port
   * for {@code https_only} redirects (0 or 443: none in the URL), and the HSTS value to add (null
   * for none).
   */
  public record Secure(boolean tls, int httpsPort, String hsts) {
    /** A plain-HTTP connection to a router without an HTTPS port. */
    public static final Secure PLAIN = new Secure(false, 0, null);

    /** {@code https://HOST[:PORT]/path?query} for a request to {@code host} with target {@code uri}. */
    String httpsLocation(String host, String uri) {
      int colon = host.lastIndexOf(':');
      String name = colon > 0 && host.indexOf(']', colon) < 0 ? host.substring(0, colon) : host;
      StringBuilder sb = new StringBuilder("https://").append(name);
      if (httpsPort > 0 && httpsPort != 443) sb.append(':').append(httpsPort);
      return sb.append(uri.startsWith("/") ? uri : "/").toString();
    }
  }

  private static Served write(ChannelHandlerContext ctx, HttpRequest request, Answer answer,
      String requestId, boolean keepAlive, String setCookie, String hsts) {
    HttpResponse head = answer.head;
    HttpHeaders h = head.headers();
    h.set("X-Request-Id", requestId);
    if (hsts != null) h.set("Strict-Transport-Security", hsts);
    if (setCookie != null) h.add(HttpHeaderNames.SET_COOKIE, setCookie);
    if (!keepAlive) h.set(HttpHeaderNames.CONNECTION, "close");
    else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) h.set(HttpHeaderNames.CONNECTION, "keep-alive");
    boolean headOnly = HttpMethod.HEAD.equals(request.method());
    if (answer.file == null) {
      FullHttpResponse full = (FullHttpResponse) head;
      long bytes = full.content().readableBytes();
      if (headOnly) {
        ctx.write(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
        full.release();
        return new Served(full.status().code(), 0, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
      }
      return new Served(full.status().code(), bytes, ctx.writeAndFlush(full));
    }
    if (headOnly) {
      ctx.write(head);
      return new Served(head.status().code(), 0, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(answer.file.path(), StandardOpenOption.READ);
    } catch (IOException e) {
      FullHttpResponse error = plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The file could not be read.");
      error.headers().set("X-Request-Id", requestId).set(HttpHeaderNames.CONNECTION, "close");
      return new Served(500, error.content().readableBytes(), ctx.writeAndFlush(error));
    }
    ctx.write(head);
    ctx.write(fileBody(ctx, channel, answer.start, answer.length));
    return new Served(head.status().code(), answer.length, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
  }

  /**
   * The file part as the connection can carry it: a zero-copy {@link DefaultFileRegion} on plain
   * connections; read in chunks on TLS ones, which must encrypt every byte (an SslHandler does not
   * take file regions), through a {@link io.netty.handler.stream.ChunkedWriteHandler} put in front
   * of the caller's handler the first time.
   */
  private static Object fileBody(ChannelHandlerContext ctx, FileChannel channel, long start, long length) {
    if (ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null) {
      return new DefaultFileRegion(channel, start, length);
    }
    if (ctx.pipeline().get(io.netty.handler.stream.ChunkedWriteHandler.class) == null) {
      ctx.pipeline().addBefore(ctx.name(), "chunked-write", new io.netty.handler.stream.ChunkedWriteHandler());
    }
    try {
      return new io.netty.handler.stream.ChunkedNioFile(channel, start, length, 16 * 1024);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A response head, and the part of a file that follows it (or a full response, file null). */
  private record Answer(HttpResponse head, SiteFiles.Variant file, long start, long length) {
    static Answer full(FullHttpResponse response) {
      return new Answer(response, null, 0, 0);
    }
  }

  private static Answer answer(HttpRequest request, StaticSite site, Secure secure) {
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      FullHttpResponse r = plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "A static site answers GET and HEAD only.");
      r.headers().set(HttpHeaderNames.ALLOW, ALLOW);
      return Answer.full(r);
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String query = q < 0 ? "" : uri.substring(q);
    if (site.httpsOnly() && !secure.tls()) {
      return Answer.full(redirect(HttpResponseStatus.MOVED_PERMANENTLY,
          secure.httpsLocation(request.headers().get(HttpHeaderNames.HOST, ""), uri)));
    }
    String path;
    try {
      path = QueryStringDecoder.decodeComponent(q < 0 ? uri : uri.substring(0, q));
    } catch (IllegalArgumentException e) {
      return Answer.full(plain(HttpResponseStatus.BAD_REQUEST, "The path is not valid."));
    }
    if (!safe(path)) return Answer.full(plain(HttpResponseStatus.BAD_REQUEST, "The path is not valid."));
    StaticSite.Redirect redirect = site.redirects().get(path);
    if (redirect != null) {
      return withRules(Answer.full(redirect(HttpResponseStatus.valueOf(redirect.status()), redirect.url())), site, path);
    }
    SiteFiles files = SiteFiles.of(site.root());
    if (site.cleanUrls() && path.endsWith(".html") && !path.endsWith("/index.html")
        && files.lookup(relative(path)) instanceof SiteFiles.File) {
      return Answer.full(redirect(HttpResponseStatus.MOVED_PERMANENTLY, path.substring(0, path.length() - 5) + query));
    }
    SiteFiles.Lookup found = files.lookup(relative(path));
    if (found instanceof SiteFiles.Directory) {
      if (!path.endsWith("/")) return Answer.full(redirect(HttpResponseStatus.MOVED_PERMANENTLY, path + "/" + query));
      found = files.lookup(relative(path + "index.html"));
    } else if (found instanceof SiteFiles.Missing && site.cleanUrls() && !path.endsWith("/")) {
      found = files.lookup(relative(path + ".html"));
    }
    if (!(found instanceof SiteFiles.File)) {
      for (StaticSite.Rewrite rewrite : site.routes()) {
        if (rewrite.path().matches(path)) {
          found = files.lookup(relative(rewrite.target()));
          break;
        }
      }
    }
    if (found instanceof SiteFiles.File file) return withRules(fileAnswer(request, file), site, path);
    return withRules(notFound(request, site, files), site, path);
  }

  private static Answer withRules(Answer answer, StaticSite site, String path) {
    withRules(answer.head, site, path);
    return answer;
  }

  private static HttpResponse withRules(HttpResponse head, StaticSite site, String path) {
    for (StaticSite.HeaderRule rule : site.headers()) {
      if (rule.path().matches(path)) setUserHeaders(head.headers(), rule.headers());
    }
    return head;
  }

  /**
   * Sets an app's own headers on a response, except the framing and router ones ({@link
   * ReservedHeaders}): the build refuses those, but a slug built before may still have them.
   */
  private static void setUserHeaders(HttpHeaders out, java.util.Map<String, String> headers) {
    for (java.util.Map.Entry<String, String> e : headers.entrySet()) {
      if (!ReservedHeaders.reserved(e.getKey())) out.set(e.getKey(), e.getValue());
    }
  }

  private static Answer notFound(HttpRequest request, StaticSite site, SiteFiles files) {
    String page = site.errorPage() != null ? site.errorPage() : "404.html";
    if (files.lookup(relative(page)) instanceof SiteFiles.File file) {
      SiteFiles.Variant v = file.identity();
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(file.name()))
          .set(HttpHeaderNames.CONTENT_LENGTH, v.size())
          .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
      return new Answer(head, v, 0, v.size());
    }
    return Answer.full(plain(HttpResponseStatus.NOT_FOUND, "There is no page at this address."));
  }

  private static Answer fileAnswer(HttpRequest request, SiteFiles.File file) {
    HttpHeaders in = request.headers();
    String rangeHeader = in.get(HttpHeaderNames.RANGE);
    String ifRange = in.get(HttpHeaderNames.IF_RANGE);
    boolean compressible = file.gzip() != null || file.brotli() != null;
    // A range is of the file itself; otherwise the smallest encoding the client accepts.
    SiteFiles.Variant v = file.identity();
    if (rangeHeader == null) {
      String accepts = in.get(HttpHeaderNames.ACCEPT_ENCODING);
      if (file.brotli() != null && accepts(accepts, "br")) v = file.brotli();
      else if (file.gzip() != null && accepts(accepts, "gzip")) v = file.gzip();
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders h = head.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(file.name()))
        .set(HttpHeaderNames.ETAG, v.etag())
        .set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(file.lastModified())))
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    if (compressible) h.set(HttpHeaderNames.VARY, "Accept-Encoding");
    if (v.encoding() != null) h.set(HttpHeaderNames.CONTENT_ENCODING, v.encoding());
    if (notModified(in, v.etag(), file.lastModified())) {
      h.remove(HttpHeaderNames.CONTENT_TYPE).remove(HttpHeaderNames.CONTENT_ENCODING);
      FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
      full.headers().set(h);
      return Answer.full(full);
    }
    long size = v.size();
    ByteRange range = ifRange == null || ifRange.equals(v.etag()) ? ByteRange.parse(rangeHeader, size) : null;
    if (range == ByteRange.UNSATISFIABLE) {
      FullHttpResponse r = plain(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "The range is beyond the end of the file.");
      r.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
      return Answer.full(r);
    }
    if (range != null) {
      head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
      h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size)).set(HttpHeaderNames.CONTENT_LENGTH, range.length());
      return new Answer(head, v, range.start(), range.length());
    }
    h.set(HttpHeaderNames.CONTENT_LENGTH, size);
    return new Answer(head, v, 0, size);
  }

  private static boolean notModified(HttpHeaders in, String etag, long lastModified) {
    String inm = in.get(HttpHeaderNames.IF_NONE_MATCH);
    if (inm != null) {
      for (String tag : inm.split(",")) {
        String t = tag.trim();
        if (t.startsWith("W/")) t = t.substring(2);
        if (t.equals("*") || t.equals(etag)) return true;
      }
      return false;
    }
    String ims = in.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    if (ims == null) return false;
    Date since = DateFormatter.parseHttpDate(ims);
    return since != null && lastModified / 1000 <= since.getTime() / 1000;
  }

  /** True when {@code header} accepts {@code coding} (listed, or {@code *}, without {@code q=0}). */
  static boolean accepts(String header, String coding) {
    if (header == null) return false;
    for (String part : header.split(",")) {
      String[] bits = part.trim().split(";");
      String name = bits[0].trim().toLowerCase(Locale.ROOT);
      if (!name.equals(coding) && !name.equals("*")) continue;
      boolean zero = false;
      for (int i = 1; i < bits.length; i++) {
        String p = bits[i].trim().replace(" ", "");
        if (p.startsWith("q=")) zero = p.substring(2).matches("0(\\.0*)?");
      }
      if (!zero) return true;
    }
    return false;
  }

  private static boolean safe(String path) {
    if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) return false;
    for (String segment : path.split("/")) {
      if (segment.equals("..") || segment.equals(".")) return false;
    }
    return true;
  }

  private static String relative(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static FullHttpResponse redirect(HttpResponseStatus status, String location) {
    FullHttpResponse r = plain(status, "Moved to " + location);
    r.headers().set(HttpHeaderNames.LOCATION, location);
    return r;
  }

  static FullHttpResponse plain(HttpResponseStatus status, String text) {
    String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + status.code() + " "
        + escape(status.reasonPhrase()) + "</title></head>\n<body><h1>" + escape(status.reasonPhrase())
        + "</h1>\n<p>" + escape(text) + "</p></body></html>\n";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
