/**
 * Pier's HTTP router: sends each request to an instance of the app named by its Host header, like
 * Heroku's router or Cloud Foundry's gorouter.
 *
 * <p>The control plane owns a {@link dev.pier.router.RouterServer}, publishes a new {@link
 * dev.pier.model.RouteTable} whenever instances change, receives one {@link
 * dev.pier.router.AccessLogEntry} per request, is woken through a {@link dev.pier.router.Waker}
 * for versions that requests wait for, and reads {@link dev.pier.router.RouterLoad} snapshots.
 * Everything else here is package-private.
 *
 * <h2>Flow of one request</h2>
 *
 * <pre>
 *  client                                   RouterServer (Netty, epoll or NIO)
 *    |                 +-------------------- client channel pipeline (RouterInitializer) ----+
 *    |  bytes          |  ConnectionGate       counts it per address and in all; over a      |
 *    +---------------->|                       limit: 429 / 503 page, closed, nothing read   |
 *    |                 |  IdleStateHandler     closes keep-alive connections idle too long  |
 *    |                 |  HeadDeadline.start   first byte of a head starts its clock         |
 *    |                 |  HttpServerCodec      bytes &lt;-&gt; HttpRequest / HttpContent          |
 *    |                 |                       (line &gt; 8 KiB: 414, headers &gt; 8 KiB: 431)     |
 *    |                 |  ContinueHandler      answers "Expect: 100-continue" at once        |
 *    |                 |  HeadDeadline.end     head complete; too late: 408, closed          |
 *    |                 |  FrontendHandler                                                   |
 *    |                 |    0. decoder failure (bad line or header, bare LF, CL twice,      |
 *    |                 |       CL + TE, TE not ending in chunked): 400, connection closed    |
 *    |                 |    1. Host (one, agreeing with an absolute target, else 400)        |
 *    |                 |       --&gt; RouteTable.lookup --&gt; 404 no_such_app                     |
 *    |                 |       --&gt; Route.limits resolved once: response timeout, max body   |
 *    |                 |       (Content-Length over it: 413, closed), idle timeout           |
 *    |                 |    2. split bucket 0..9999 by Route.splitBy (SplitBucket):          |
 *    |                 |       random / pier_split cookie (set if absent) / client IP hash   |
 *    |                 |    3. Assigner: VersionPicker maps bucket --&gt; version by shares     |
 *    |                 |       (one without instances --&gt; another with a share); then        |
 *    |                 |       LoadBalancer (LeastInFlight by InFlight) picks a Backend,     |
 *    |                 |       counted in InFlight and VersionLoads until the exchange ends; |
 *    |                 |       none anywhere: a version that is starting or asleep (hold)   |
 *    |                 |       --&gt; HELD (see below), else 503 no_instances                   |
 *    |                 |    4. X-Forwarded-For/-Proto/-Port, X-Request-Id; hop-by-hop out    |
 *    |                 |       (an upgrade request keeps Connection: upgrade + Upgrade, and   |
 *    |                 |       its HTTP decoder is detached: later bytes stay raw)            |
 *    |                 |    5. idempotent method (not POST/PATCH), no body or a small one    |
 *    |                 |       (HTTP/1.1, Content-Length &lt;= 64 KiB, not chunked, no Expect): |
 *    |                 |       take an unused kept-alive connection                          |
 *    |                 |       from this loop's BackendPool; else connect on the SAME loop;  |
 *    |                 |       refused --&gt; retry once on another instance of the version,    |
 *    |                 |       else another version --&gt; 502 connect_failed                   |
 *    |                 |       pooled one closed before any answer --&gt; resend once, head and |
 *    |                 |       body (kept as copies until then), on a new connection to the  |
 *    |                 |       same instance; an upgrade request always gets a new connection,|
 *    |                 |       never pooled afterwards                                       |
 *    |                 +------------------------------|-------------------------------------+
 *    |                                                | request + body parts
 *    |                                                v  (next client read only after the
 *    |                 +---- backend channel ---------+   instance accepted the last part)
 *    |                 |  HttpClientCodec                                     | TCP
 *    |                 |  BackendHandler  &lt;------------------------------------+----&gt; app
 *    |                 +------------------------------|------------------------+    instance
 *    |                                                | response + body parts       (web.1)
 *    |   response      |  FrontendHandler: adds X-Request-Id and any split cookie, re-frames
 *    |&lt;----------------+  the body; next instance read only after the client took the last part;
 *    |                    no headers within the response timeout (the app's, else the
 *    |                    router's) --&gt; 504 response_timeout; chunked body past the app's
 *    |                    max body --&gt; 413 body_too_large (or closed if the answer started);
 *    |                    instance closes early --&gt; 502 backend_closed, or client closed
 *    |                    if the response had started
 *    v
 *  after the instance's last response byte: its connection back to the BackendPool if the
 *  response allows (HTTP/1.1, no Connection: close, framed body), else closed;
 *  after the last response byte to the client: InFlight count given back, entry queued for
 *  the AccessLog (called on its own thread, AccessLogQueue), then the next (pipelined) request
 * </pre>
 *
 * <h2>Held requests (scale from zero)</h2>
 *
 * <pre>
 *  request for a version with no instance and {@code hold} (starting or asleep); none of the
 *  split has an instance (for a version host: that version has none)
 *    --&gt; app already has HoldLimits.maxPerApp held --&gt; 503 hold_queue_full, at once
 *    --&gt; else Exchange.Phase.HELD on its own connection and event loop:
 *          registered in HeldRequests, hold timer armed, counted as held (and in flight) in
 *          VersionLoads, Waker.wake(app, version) (at most once a second per version),
 *          one probe read (end of stream --&gt; client gone: dropped, slot freed, 499 logged),
 *          nothing else read: a body waits in the client's socket
 *  RouterServer.routes(table) --&gt; HeldRequests.routesChanged --&gt; on each held request's loop:
 *          host gone --&gt; 404; split / version has an instance --&gt; proxied as usual (an upgrade
 *          request too); still only starting versions --&gt; stays held; none --&gt; 503 no_instances
 *  hold timer (HoldLimits.timeout) --&gt; 503 start_timeout
 *  access log: held=Nms (the wait, also part of service=)
 * </pre>
 *
 * <p>A request that falls back from its own version (asleep, no instance) to another version
 * with instances is not held, but still wakes its own version. {@link
 * dev.pier.router.RouterServer#load()} reports per version the requests in flight (held ones
 * included), held, completed, and the integral of in-flight over time, for the autoscaler.
 *
 * <h2>Upgraded connections (WebSockets)</h2>
 *
 * <pre>
 *  client: GET /chat, Connection: keep-alive, Upgrade, Upgrade: websocket, Sec-WebSocket-Key
 *    --&gt; routed, split and counted like any request (404 / 503 / 502 / 504 pages as usual)
 *    --&gt; sent on a NEW instance connection with Connection: upgrade, Upgrade: websocket
 *  instance: 101 Switching Protocols (+ Sec-WebSocket-Accept ...)
 *    --&gt; 101 to the client (+ X-Request-Id, split cookie); access log entry now: status 101,
 *        service = time to the 101
 *    --&gt; Tunnel: both pipelines lose their HTTP codecs (bytes already read past the 101 or the
 *        request head are kept, in order) and end in a relay
 *
 *    client channel                               instance channel
 *    IdleStateHandler(tunnelIdleTimeout)          (HttpClientCodec removed)
 *    Tunnel relay  ---- bytes, next read after the other side wrote ----&gt;  Tunnel relay
 *                  &lt;--- bytes, next read after the other side wrote -----
 *
 *    either side closes / fails, or no byte either way for tunnelIdleTimeout --&gt; both closed
 *    after flushing; the InFlight count is given back then, exactly once (router stop included)
 *  instance: any other status --&gt; proxied as a plain response; its connection is closed, and the
 *    client connection gets a fresh HTTP decoder (fed the held bytes) and goes on as HTTP
 * </pre>
 *
 * <h2>HTTP/2 clients</h2>
 *
 * <p>A connection that speaks HTTP/2 (ALPN {@code h2} on the TLS port, {@code Upgrade: h2c} or the
 * preface on the plain one) drops the HTTP/1.1 handlers above for {@link
 * dev.pier.router.http2.Http2Front}'s: each stream is a child channel with its own idle handler,
 * {@code ContinueHandler} and {@code FrontendHandler}, fed HTTP/1.1 messages, so everything in
 * this picture holds per stream; instances still get HTTP/1.1.
 *
 * <h2>Rules the code follows</h2>
 *
 * <ul>
 *   <li>Nothing blocks an event loop. The instance connection uses the client's event loop, so
 *       the per-request state ({@code Exchange}) is confined to one thread. The control plane's
 *       access log never runs on an event loop: entries go through a bounded queue to one
 *       dedicated thread ({@code AccessLogQueue}), so a stuck access log cannot stall requests.
 *   <li>Auto-read is off on both channels; reads are requested after writes complete, so bodies
 *       of any size stream with back-pressure and are never aggregated.
 *   <li>Every router-made response is a small HTML page with an {@code X-Router-Error} header
 *       naming a {@link dev.pier.router.RouterError}.
 *   <li>A failed connection is retried only while no request body byte has reached an instance
 *       that may have acted on it, so a non-idempotent request is never sent twice. Pooled
 *       connections carry only requests that can be re-sent: those of idempotent methods (never POST
 *       or PATCH), without a body or, over HTTP/1.1, with a {@code Content-Length} of at most 64
 *       KiB (not chunked, no {@code Expect}).
 *       While such a request is on a pooled connection, a retained copy of each body part
 *       written is kept until the first response byte (or the end of the exchange) and then
 *       released once. If the pooled connection closes, or a write to it fails, before any
 *       response byte, the instance most likely never read the request (and an idempotent one may be
 *       repeated if it did): head and all body parts (the
 *       copies, then the parts not yet written, then those still arriving) are sent once more on
 *       a new connection to the same instance; after that the usual failure rules apply. Larger,
 *       chunked and {@code Expect: 100-continue} requests always get a new connection.
 *   <li>Instance connections are HTTP/1.1 keep-alive, pooled per event loop and instance
 *       ({@code BackendPool}): at most {@link dev.pier.router.RouterConfig#maxIdlePerBackend()}
 *       unused each, closed after {@link dev.pier.router.RouterConfig#backendIdleTimeout()} or
 *       when a table without the instance is published. An unused pooled connection is not in
 *       flight, so draining is unaffected.
 *   <li>An upgraded connection ({@code Tunnel}) is a byte relay with the same read-after-write
 *       back-pressure. The keep-alive idle timeout no longer applies to it; {@link
 *       dev.pier.router.RouterConfig#tunnelIdleTimeout()} does. It stays counted in flight until
 *       it closes, so draining an instance waits for (or its drain timeout cuts) its WebSockets.
 *       Only bodyless HTTP/1.1 upgrade requests are tunnelled.
 *   <li>Draining: each request is counted on its instance ({@link
 *       dev.pier.router.RouterServer#inFlight(String, int)}) from the moment it is chosen until
 *       its exchange ends in any way, exactly once. Once a table without an instance is
 *       published, no request is newly assigned to it (the assignment re-checks the table after
 *       counting), while requests already on it finish normally.
 * </ul>
 *
 * <h2>Traffic splitting</h2>
 *
 * <p>As in App Engine, a route has versions with whole-percent shares. Each request gets a bucket
 * in [0, 10000) and each version with a share owns a run of buckets in version order (90/10: v1
 * takes 0..8999). With {@code COOKIE} the bucket is the client's {@code pier_split} cookie, and
 * with {@code IP} a hash of the socket peer address (never X-Forwarded-For), so a client stays on
 * one version while the shares are unchanged.
 */
package dev.pier.router;
