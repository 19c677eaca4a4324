package dev.pier.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** Source trees of fixture apps, written by tests into real git repositories. */
final class SampleApps {
  private SampleApps() {}

  /** A Node.js app without dependencies that reports its dyno, a config var and a version. */
  static Map<String, String> nodeHello(int version) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", """
        {
          "name": "hello",
          "version": "1.0.0",
          "private": true,
          "engines": { "node": ">=18" },
          "scripts": { "start": "node server.js" }
        }
        """);
    files.put("server.js", """
        const http = require('http');
        const version = %d;
        console.log('hello app booting version ' + version);
        http.createServer((req, res) => {
          console.log('handled ' + req.method + ' ' + req.url);
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({
            dyno: process.env.DYNO,
            greeting: process.env.GREETING || 'hello',
            version: version,
            uid: process.getuid()
          }));
        }).listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT));
        """.formatted(version));
    return files;
  }

  /**
   * A Node.js app without dependencies whose every answer takes {@code DELAY_MS} (config var,
   * default 300) milliseconds: load in concurrent requests is then clients, not CPU.
   */
  static Map<String, String> nodeSlow() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", """
        {
          "name": "slow",
          "version": "1.0.0",
          "private": true,
          "scripts": { "start": "node server.js" }
        }
        """);
    files.put("server.js", """
        const http = require('http');
        const delay = parseInt(process.env.DELAY_MS || '300', 10);
        http.createServer((req, res) => {
          setTimeout(() => {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify({ dyno: process.env.DYNO, delay: delay }));
          }, delay);
        }).listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT));
        """);
    return files;
  }

  /**
   * A Node.js app without dependencies that serves like {@link #nodeHello} on its first web
   * instance, while {@code faulty} instances (web.2, or every instance) run {@code fault}
   * instead: JavaScript that misbehaves (exits, never listens, hogs memory) and, if it serves,
   * listens on $PORT itself.
   */
  static Map<String, String> nodeWithFault(String fault, boolean everyInstance) {
    Map<String, String> files = new LinkedHashMap<>(nodeHello(1));
    // Without npm in between: it boots faster, and its notices are not the last lines of a crash.
    files.put("Procfile", "web: node server.js\n");
    files.put("server.js", """
        const http = require('http');
        if (%s) {
          console.log('fault injected in ' + process.env.DYNO);
        %s
        } else {
          http.createServer((req, res) => res.end('ok from ' + process.env.DYNO))
            .listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT));
        }
        """.formatted(everyInstance ? "true" : "process.env.DYNO === 'web.2'", fault.indent(2).stripTrailing()));
    return files;
  }

  /**
   * A Node.js app without dependencies that answers {@code /crash} and then exits with code 1, as
   * an app hitting a fatal error does; every other path answers with a mark of its boot. It
   * takes 1.5 s to boot.
   */
  static Map<String, String> nodeCrashOnDemand() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Procfile", "web: node server.js\n");
    files.put("package.json", """
        { "name": "fragile", "version": "1.0.0", "private": true }
        """);
    files.put("server.js", """
        const http = require('http');
        const boot = Date.now() + '-' + Math.random();
        const server = http.createServer((req, res) => {
          if (req.url === '/crash') {
            res.end('crashing\\n');
            setTimeout(() => process.exit(1), 50);
            return;
          }
          res.end('boot ' + boot + '\\n');
        });
        // Every boot takes 1.5 s (loading, warming caches): a restart leaves a gap to hold across.
        setTimeout(() => server.listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT)), 1500);
        """);
    return files;
  }
}
