package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.e2e.PlatformHarness.Response;
import dev.pier.e2e.PlatformHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL add-on (#11) used by a real Node.js app with the {@code pg} driver (installed
 * by npm at build): its release phase creates a table with {@code DATABASE_URL}, its web process
 * writes and reads rows, and they are still there after Pier restarts. An app the add-on is not
 * attached to cannot even connect to its port.
 */
class PostgresAddonTest {
  @TempDir Path tmp;

  private static final String PROBE = """
      function probe(port, res) {
        const s = require('net').connect(Number(port), '127.0.0.1');
        s.on('connect', () => { s.destroy(); res.end('connected\\n'); });
        s.on('error', (e) => res.end('refused ' + e.code + '\\n'));
      }
      """;

  private static final String SERVER = PROBE + """
      const { Pool } = require('pg');
      const pool = new Pool({ connectionString: process.env.DATABASE_URL });
      require('http').createServer(async (req, res) => {
        const url = new URL(req.url, 'http://x');
        if (url.pathname === '/probe') return probe(url.searchParams.get('port'), res);
        try {
          if (url.pathname === '/add') await pool.query('INSERT INTO notes(text) VALUES ($1)', [url.searchParams.get('text')]);
          const r = await pool.query('SELECT text FROM notes ORDER BY id');
          res.end('notes: ' + r.rows.map((x) => x.text).join(',') + '\\n');
        } catch (e) {
          res.statusCode = 500;
          res.end('error: ' + e.message + '\\n');
        }
      }).listen(process.env.PORT);
      """;

  private static final String MIGRATE = """
      const { Client } = require('pg');
      (async () => {
        const c = new Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, text text NOT NULL)');
        await c.end();
        console.log('created table notes');
      })().catch((e) => { console.error(e); process.exit(1); });
      """;

  @Test
  void anAppUsesItsPostgresAddOnThroughDatabaseUrlAcrossRestartsAndOtherAppsCannotReachIt() throws Exception {
    try (PlatformHarness pier = new PlatformHarness(tmp.resolve("pier"))) {
      pier.login();
      Path notes = pier.repo("notes", Map.of(
          "package.json", "{\"name\": \"notes\", \"version\": \"1.0.0\", \"dependencies\": {\"pg\": \"8.11.3\"}}\n",
          "Procfile", "web: node server.js\nrelease: node migrate.js\n",
          "server.js", SERVER,
          "migrate.js", MIGRATE));
      PlatformHarness.check(pier.cli(notes, "apps:create", "notes"));
      long t0 = System.nanoTime();
      Result created = pier.cli(notes, "addons:create", "postgres", "--as", "notes-db", "-a", "notes");
      System.out.printf("addons:create postgres took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(created.exit()).as(created.all()).isZero();
      assertThat(created.out()).contains("Created notes-db (postgres:").contains("as DATABASE_URL");

      Result push = pier.git(notes, "push", "pier", "main");
      assertThat(push.exit()).as(push.all()).isZero();
      assertThat(push.err()).contains("Captured b001 of notes-db before the release phase of v1")
          .contains("created table notes").contains("Released v");
      assertThat(PlatformHarness.check(pier.cli(notes, "apps:info", "-a", "notes")).out()).containsPattern("Add-ons: +notes-db");

      pier.awaitOk("notes", "/", Duration.ofSeconds(30));
      assertThat(pier.get("notes", "/add?text=first").body()).isEqualTo("notes: first\n");
      assertThat(pier.get("notes", "/add?text=second").body()).isEqualTo("notes: first,second\n");

      Result info = PlatformHarness.check(pier.cli(notes, "addons:info", "notes-db"));
      assertThat(info.out()).containsPattern("Server: +running").contains("PostgreSQL").containsPattern("notes +DATABASE_URL");
      int port = Integer.parseInt(info.out().replaceAll("(?s).*Port: +(\\d+).*", "$1"));

      // Another app, not attached: the guard refuses its connection to the database's port.
      Path other = pier.repo("other", Map.of(
          "package.json", "{\"name\": \"other\", \"version\": \"1.0.0\"}\n",
          "Procfile", "web: node server.js\n",
          "server.js", PROBE + "require('http').createServer((req, res) => probe(new URL(req.url, 'http://x')"
              + ".searchParams.get('port'), res)).listen(process.env.PORT);\n"));
      PlatformHarness.check(pier.cli(other, "apps:create", "other"));
      assertThat(pier.git(other, "push", "pier", "main").exit()).isZero();
      pier.awaitOk("other", "/?port=1", Duration.ofSeconds(30));
      assertThat(pier.get("notes", "/probe?port=" + port).body()).isEqualTo("connected\n");
      assertThat(pier.get("other", "/?port=" + port).body()).startsWith("refused ECONNREFUSED");

      pier.restart();

      Response after = pier.awaitOk("notes", "/", Duration.ofSeconds(60));
      assertThat(after.body()).isEqualTo("notes: first,second\n");
      assertThat(pier.get("other", "/?port=" + port).body()).as("the guard is rebuilt at start").startsWith("refused");

      // Backups: capture, more rows, restore brings back what the backup held.
      Result capture = pier.cli(notes, "pg:backups:capture", "-a", "notes");
      assertThat(capture.exit()).as(capture.all()).isZero();
      assertThat(capture.out()).startsWith("Captured b002 of notes-db");
      assertThat(pier.get("notes", "/add?text=third").body()).isEqualTo("notes: first,second,third\n");
      Result wrong = pier.cli(notes, "pg:backups:restore", "b009", "--confirm", "notes", "-a", "notes");
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.err()).contains("no backup b009 of notes-db");
      Result restore = pier.cli(notes, "pg:backups:restore", "b002", "--confirm", "notes", "-a", "notes");
      assertThat(restore.exit()).as(restore.all()).isZero();
      Response restored = pier.awaitOk("notes", "/", Duration.ofSeconds(30));
      for (int i = 0; i < 50 && !restored.body().equals("notes: first,second\n"); i++) {
        Thread.sleep(200); // the pool reconnects after the restore cut its connections
        restored = pier.get("notes", "/");
      }
      assertThat(restored.body()).isEqualTo("notes: first,second\n");
      assertThat(PlatformHarness.check(pier.cli(notes, "pg:backups", "-a", "notes")).out()).containsPattern("b001 .* done .* release \\(v1\\)").containsPattern("b002 .* done .* manual");

      // psql in a one-off of the app, with its DATABASE_URL, through its uid and the guard.
      Result psql = pier.cli(notes, "pg:psql", "-a", "notes", "--no-tty", "-c", "SELECT count(*) AS n FROM notes");
      assertThat(psql.exit()).as(psql.all()).isZero();
      assertThat(psql.out()).containsPattern("(?s)n\\s*-+\\s*2\\s");

      // Rotate: a new password; the app is rolled onto it and keeps its data.
      String oldUrl = PlatformHarness.check(pier.cli(notes, "config:get", "DATABASE_URL", "-a", "notes")).out();
      PlatformHarness.check(pier.cli(notes, "addons:rotate", "notes-db"));
      String newUrl = PlatformHarness.check(pier.cli(notes, "config:get", "DATABASE_URL", "-a", "notes")).out();
      assertThat(newUrl).isNotEqualTo(oldUrl).startsWith("postgres://");
      assertThat(pier.awaitOk("notes", "/", Duration.ofSeconds(30)).body()).isEqualTo("notes: first,second\n");

      // Snapshot before release: a release phase that changes data, then rollback --with-data.
      PlatformHarness.write(notes, Map.of("migrate.js", MIGRATE.replace("await c.end();",
          "await c.query(\"INSERT INTO notes(text) VALUES ('from-v' || $1)\", [process.env.PIER_RELEASE]);\n  await c.end();")));
      pier.commitAll(notes, "a migration that writes");
      Result push2 = pier.git(notes, "push", "pier", "main");
      assertThat(push2.exit()).as(push2.all()).isZero();
      int v = Integer.parseInt(push2.err().replaceAll("(?s).*Released v(\\d+).*", "$1"));
      assertThat(push2.err()).containsPattern("Captured b00\\d of notes-db before the release phase of v" + v);
      Response migrated = pier.awaitOk("notes", "/", Duration.ofSeconds(30));
      assertThat(migrated.body()).startsWith("notes: first,second,from-v");
      Result rollback = pier.cli(notes, "rollback", "v" + (v - 1), "--with-data", "--confirm", "notes", "-a", "notes");
      assertThat(rollback.exit()).as(rollback.all()).isZero();
      Response back = pier.get("notes", "/");
      for (int i = 0; i < 50 && !back.body().equals("notes: first,second\n"); i++) {
        Thread.sleep(200);
        back = pier.get("notes", "/");
      }
      assertThat(back.body()).isEqualTo("notes: first,second\n");

      Result destroy = pier.cli(notes, "addons:destroy", "notes-db", "--confirm", "notes");
      assertThat(destroy.exit()).as(destroy.all()).isZero();
      assertThat(PlatformHarness.check(pier.cli(notes, "config", "-a", "notes")).out()).doesNotContain("DATABASE_URL");
      assertThat(pier.data.resolve("addons/notes-db")).doesNotExist();
    }
  }
}
