package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unchanged clients from the npm registry against real add-ons (#11): {@code ioredis} on
 * REDIS_URL, {@code memjs} on the MEMCACHIER_* vars (read by {@code memjs.Client.create()} itself),
 * {@code amqplib} on CLOUDAMQP_URL and {@code pg} on DATABASE_URL, in one web process. Their data
 * survives a Pier restart; rotating the password of each under load fails no request, and the old
 * PostgreSQL and Redis passwords are refused afterwards (the data store tests check the others).
 * One server for all steps, to keep the suite short.
 */
class AddonClientsTest {
  @TempDir Path tmp;

  private static final String PACKAGE = """
      {"name": "clients", "version": "1.0.0", "dependencies": {
        "ioredis": "5.4.1", "memjs": "1.3.2", "amqplib": "0.10.4", "pg": "8.11.3"}}
      """;

  private static final String SERVER = """
      const Redis = require('ioredis');
      const memjs = require('memjs');
      const amqp = require('amqplib');
      const { Pool } = require('pg');
      // maxUses: pooled connections are replaced all the time, so old instances open new ones
      // during a rollout, as any app does over time.
      const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4, maxUses: 5 });
      const redis = new Redis(process.env.REDIS_URL);
      const cache = memjs.Client.create(undefined, { retries: 1, timeout: 2, conntimeout: 2 });
      const QUEUE = 'jobs';

      async function channel(fn) {
        const conn = await amqp.connect(process.env.CLOUDAMQP_URL);
        try {
          const ch = await conn.createConfirmChannel();
          await ch.assertQueue(QUEUE, { durable: true });
          const out = await fn(ch);
          await ch.close();
          return out;
        } finally {
          await conn.close();
        }
      }

      const routes = {
        '/': async () => {
          const r = await pool.query('SELECT 1 AS one');
          // A new Redis connection per request, as a client does when it reconnects.
          const fresh = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
          try {
            await fresh.connect();
            await fresh.get('visits');
          } finally {
            fresh.disconnect();
          }
          // And new memcached and RabbitMQ connections per request too.
          const mc = memjs.Client.create(undefined, { retries: 0, timeout: 10, conntimeout: 10 });
          try {
            await mc.get('greeting');
          } finally {
            mc.close();
          }
          await (await amqp.connect(process.env.CLOUDAMQP_URL)).close();
          return 'ok ' + r.rows[0].one;
        },
        '/count': async () => 'count ' + await redis.incr('visits'),
        '/cache/set': async (q) => { await cache.set(q.get('k'), q.get('v'), { expires: 600 }); return 'stored'; },
        '/cache/get': async (q) => {
          const { value } = await cache.get(q.get('k'));
          return value === null ? 'miss' : 'hit ' + value.toString();
        },
        '/publish': (q) => channel(async (ch) => {
          ch.sendToQueue(QUEUE, Buffer.from(q.get('m')), { persistent: true });
          await ch.waitForConfirms();
          return 'published';
        }),
        '/consume': () => channel(async (ch) => {
          const m = await ch.get(QUEUE, { noAck: false });
          if (!m) return 'empty';
          ch.ack(m);
          return 'got ' + m.content.toString();
        }),
      };

      require('http').createServer(async (req, res) => {
        const url = new URL(req.url, 'http://x');
        const route = routes[url.pathname];
        if (!route) { res.statusCode = 404; return res.end('no route\\n'); }
        try {
          res.end(await route(url.searchParams) + '\\n');
        } catch (e) {
          res.statusCode = 500;
          res.end('error: ' + e.message + '\\n');
        }
      }).listen(process.env.PORT);
      """;

  @Test
  void redisMemcachedAndRabbitmqClientsKeepWorkingAcrossRestartsAndRotationsFailNoRequest() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp.resolve("pier"))) {
      pier.login();
      Path app = pier.repo("clients", Map.of("package.json", PACKAGE, "Procfile", "web: node server.js\n",
          "server.js", SERVER));
      PlatformHarness.check(pier.cli(app, "apps:create", "clients"));
      for (String kind : List.of("postgres", "redis", "memcached", "rabbitmq")) {
        Result r = pier.cli(app, "addons:create", kind, "--as", "clients-" + kind, "-a", "clients");
        assertThat(r.exit()).as(r.all()).isZero();
      }
      Result push = pier.git(app, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(pier.awaitOk("clients", "/", Duration.ofSeconds(60)).body()).isEqualTo("ok 1\n");

      assertThat(body(pier, "/count")).isEqualTo("count 1\n");
      assertThat(body(pier, "/count")).isEqualTo("count 2\n");
      assertThat(body(pier, "/cache/set?k=greeting&v=hello")).isEqualTo("stored\n");
      assertThat(body(pier, "/cache/get?k=greeting")).isEqualTo("hit hello\n");
      assertThat(body(pier, "/cache/get?k=nothing")).isEqualTo("miss\n");
      assertThat(body(pier, "/publish?m=first")).isEqualTo("published\n");
      assertThat(body(pier, "/consume")).isEqualTo("got first\n");
      assertThat(body(pier, "/consume")).isEqualTo("empty\n");
      // Left in the durable queue, persistent: must be there after the restart.
      assertThat(body(pier, "/publish?m=kept")).isEqualTo("published\n");

      // Rotations under load: every request opens connections to all four with the app's vars.
      Map<String, String> vars = Map.of("postgres", "DATABASE_URL", "redis", "REDIS_URL",
          "memcached", "MEMCACHIER_PASSWORD", "rabbitmq", "CLOUDAMQP_URL");
      for (String kind : List.of("postgres", "redis", "memcached", "rabbitmq")) {
        String var = vars.get(kind);
        String oldUrl = configVar(pier, app, var);
        long t0 = System.nanoTime();
        Result rotate;
        try (LoadLoop load = new LoadLoop(pier, "clients", 4, b -> b)) {
          rotate = pier.cli(app, "addons:rotate", "clients-" + kind);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          load.close();
          System.out.printf("addons:rotate %s took %d ms; %d requests under load, %d failed%n", kind, ms,
              load.requests(), load.failures().size());
          assertThat(rotate.exit()).as(rotate.all()).isZero();
          assertThat(load.failures()).as("failed requests during the rotate of " + kind).isEmpty();
          assertThat(load.seen()).as("every answer").containsOnlyKeys("ok 1\n");
          assertThat(load.requests()).isGreaterThan(10);
        }
        String newUrl = configVar(pier, app, var);
        assertThat(newUrl).isNotEqualTo(oldUrl);
        if (kind.equals("postgres")) {
          assertThat(psql(newUrl).exit()).as(psql(newUrl).all()).isZero();
          Result old = psql(oldUrl);
          assertThat(old.exit()).as("the old password is refused").isNotZero();
          assertThat(old.err()).contains("password authentication failed");
        } else if (kind.equals("redis")) {
          assertThat(redisAuth(newUrl)).startsWith("+OK");
          assertThat(redisAuth(oldUrl)).as("the old password is refused").startsWith("-WRONGPASS");
        }
      }

      pier.restart();

      assertThat(pier.awaitOk("clients", "/count", Duration.ofSeconds(60)).body()).isEqualTo("count 3\n");
      assertThat(body(pier, "/consume")).as("published before the restart").isEqualTo("got kept\n");
      assertThat(body(pier, "/consume")).isEqualTo("empty\n");
      assertThat(body(pier, "/publish?m=after")).isEqualTo("published\n");
      assertThat(body(pier, "/consume")).isEqualTo("got after\n");
      // memcached is a cache: its memory is not kept across a restart, by design (as MemCachier).
      // What must survive is the client's access: its credentials, its server, set then get.
      assertThat(body(pier, "/cache/set?k=greeting&v=again")).isEqualTo("stored\n");
      assertThat(body(pier, "/cache/get?k=greeting")).isEqualTo("hit again\n");
      assertThat(body(pier, "/")).isEqualTo("ok 1\n");
    }
  }

  private static String body(PlatformHarness pier, String path) throws IOException {
    Response r = pier.get("clients", path);
    assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static String configVar(PlatformHarness pier, Path app, String name) {
    return PlatformHarness.check(pier.cli(app, "config:get", name, "-a", "clients")).out().strip();
  }

  /** psql as root from the test (the guard admits root): {@code SELECT 1} with the URL's role and password. */
  private static Result psql(String url) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("psql", "-X", "-At", "-c", "SELECT 1", url).start();
    p.getOutputStream().close();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.exitValue(), out, err);
  }

  /** {@code AUTH} with the URL's password on a raw connection: Redis's first answer line. */
  private static String redisAuth(String url) throws IOException {
    URI uri = URI.create(url);
    String password = uri.getUserInfo().substring(uri.getUserInfo().indexOf(':') + 1);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$" + password.length() + "\r\n" + password + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) line.append((char) c);
      return line.toString().strip();
    }
  }
}
