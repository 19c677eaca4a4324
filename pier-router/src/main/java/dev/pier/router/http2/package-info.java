/**
 * HTTP/2 to clients: {@link dev.pier.router.http2.Http2Front} turns a client connection that
 * speaks HTTP/2 (ALPN {@code h2} on the TLS port; {@code Upgrade: h2c} or the connection preface
 * on the plain port) into one Netty child channel per stream, each carrying HTTP/1.1 messages
 * ({@code HttpRequest}, {@code HttpContent}) to the same request handling as an HTTP/1.1
 * connection. Instances keep speaking HTTP/1.1 only.
 *
 * <pre>
 *  connection:  gate, [tls, alpn], h2-idle, Http2FrameCodec, Http2MultiplexHandler
 *  each stream: idle, Http2StreamFrameToHttpObjectCodec, StreamMessages, (router handlers)
 * </pre>
 */
package dev.pier.router.http2;
