/**
 * Pier's HTTP router: sends each request to an instance of the app named by its Host header, like
 * Heroku's router or Cloud Foundry's gorouter.
 *
 * <p>The control plane owns a {@link dev.pier.router.RouterServer}, publishes a new {@link
 * dev.pier.model.RouteTable} whenever instances change, and receives one {@link
 * dev.pier.router.AccessLogEntry} per request. Everything else here is package-private.
 *
 * <h2>Flow of one request</h2>
 *
 * <pre>
 *  client                                   RouterServer (Netty, epoll or NIO)
 *    |                 +-------------------- client channel pipeline (RouterInitializer) ----+
 *    |  bytes          |  IdleStateHandler     closes keep-alive connections idle too long  |
 *    +---------------->|  HttpServerCodec      bytes &lt;-&gt; HttpRequest / HttpContent      |
 *    |                 |  HttpServerExpectContinueHandler   answers "Expect: 100-continue"  |
 *    |                 |  FrontendHandler                                                   |
 *    |                 |    1. Host --&gt; RouteTable.lookup --&gt; 404 no_such_app           |
 *    |                 |                                  --&gt; 503 no_instances          |
 *    |                 |    2. LoadBalancer (RoundRobin) picks a Backend                    |
 *    |                 |    3. X-Forwarded-For/-Proto/-Port, X-Request-Id, Connection: close|
 *    |                 |    4. connect on the SAME event loop; refused --&gt; retry once on   |
 *    |                 |       another instance --&gt; 502 connect_failed                    |
 *    |                 +------------------------------|-------------------------------------+
 *    |                                                | request + body parts
 *    |                                                v  (next client read only after the
 *    |                 +---- backend channel ---------+   instance accepted the last part)
 *    |                 |  HttpClientCodec                                     | TCP
 *    |                 |  BackendHandler  &lt;------------------------------------+----&gt; app
 *    |                 +------------------------------|------------------------+    instance
 *    |                                                | response + body parts       (web.1)
 *    |   response      |  FrontendHandler: adds X-Request-Id, re-frames the body for the client,
 *    |&lt;----------------+  next instance read only after the client took the last part;
 *    |                    no headers within responseTimeout --&gt; 504 response_timeout;
 *    |                    instance closes early --&gt; 502 backend_closed, or client closed
 *    |                    if the response had started
 *    v
 *  after the last response byte: AccessLog.log(entry), then the next (pipelined) request
 * </pre>
 *
 * <h2>Rules the code follows</h2>
 *
 * <ul>
 *   <li>Nothing blocks an event loop. The instance connection uses the client's event loop, so
 *       the per-request state ({@code Exchange}) is confined to one thread.
 *   <li>Auto-read is off on both channels; reads are requested after writes complete, so bodies
 *       of any size stream with back-pressure and are never aggregated.
 *   <li>Every router-made response is a small HTML page with an {@code X-Router-Error} header
 *       naming a {@link dev.pier.router.RouterError}.
 *   <li>A failed connection is retried only while no request body byte has reached an instance,
 *       so a non-idempotent request is never sent twice.
 * </ul>
 */
package dev.pier.router;
