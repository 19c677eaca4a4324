package dev.pier.router;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** WebSocket (RFC 6455) framing for the test client and echo instance: just what tests need. */
final class WsFrames {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WsFrames() {}

  /** One received frame (always final: the tests never fragment). */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Returns the Sec-WebSocket-Accept value for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)). */
  static String acceptFor(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns a new random Sec-WebSocket-Key (16 random bytes, base64). */
  static String newKey() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** Encodes one final frame; clients must mask, servers must not. */
  static byte[] encode(int opcode, byte[] payload, boolean mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write(0x80 | opcode);
    int maskBit = mask ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    } else {
      out.write(maskBit | 127);
      long len = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (len >>> shift) & 0xFF);
    }
    if (mask) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      out.writeBytes(key);
      byte[] masked = new byte[payload.length];
      for (int i = 0; i < payload.length; i++) masked[i] = (byte) (payload[i] ^ key[i & 3]);
      out.writeBytes(masked);
    } else {
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  static byte[] text(String text, boolean mask) {
    return encode(TEXT, text.getBytes(StandardCharsets.UTF_8), mask);
  }

  /** Reads one frame, unmasking it if masked; null if the stream ends before it starts. */
  static Frame read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int b0 = in.read();
    if (b0 < 0) return null;
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) len = in.readUnsignedShort();
    else if (len == 127) len = in.readLong();
    if (len > 64L * 1024 * 1024) throw new IOException("frame too large: " + len);
    byte[] key = null;
    if ((b1 & 0x80) != 0) {
      key = new byte[4];
      in.readFully(key);
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    if (key != null) {
      for (int i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
    }
    return new Frame(b0 & 0x0F, payload);
  }
}
