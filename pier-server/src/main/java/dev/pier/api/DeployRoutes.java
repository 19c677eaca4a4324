package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.build.BuildOutput;
import dev.pier.deploy.DeployService;
import dev.pier.deploy.SourceTree;
import dev.pier.server.PlatformException;
import dev.pier.server.Problem;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /apps/APP/deploy}: a tar.gz of a directory in, build output out as NDJSON. The
 * upload is checked and unpacked completely before anything is built or streamed, so a bad
 * upload gets a plain 4xx.
 */
final class DeployRoutes {
  private final AppService apps;
  private final DeployService deploys;
  private final long maxUploadBytes;

  DeployRoutes(AppService apps, DeployService deploys, long maxUploadBytes) {
    this.apps = apps;
    this.deploys = deploys;
    this.maxUploadBytes = maxUploadBytes;
  }

  void register(ApiServlet api) {
    api.on("POST", AppRoutes.APP + "/deploy", ex -> {
      App app = apps.get(ex.param(1));
      long declared = ex.request.getContentLengthLong();
      if (declared > maxUploadBytes) throw tooLarge();
      Path source = deploys.newSourceDir(app);
      try (InputStream in = new LimitedInputStream(ex.request.getInputStream(), maxUploadBytes)) {
        new SourceTree(source).extractTarGz(in, maxUploadBytes);
      } catch (PlatformException | IOException e) {
        DataDirs.deleteTree(source);
        if (e instanceof LimitExceeded) throw tooLarge();
        if (e instanceof IOException io) throw PlatformException.badRequest("cannot read the upload: " + io.getMessage());
        throw e;
      }
      ex.response.setStatus(200);
      ex.response.setContentType("application/x-ndjson");
      OutputStream out = ex.response.getOutputStream();
      NdjsonOutput output = new NdjsonOutput(out);
      DeployService.Outcome outcome;
      try {
        outcome = deploys.deploy(app, source, "Deploy from directory upload", ex.user, output);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(DeployRoutes.class).error("deploy failed", e);
        outcome = new DeployService.Outcome.Failed("internal error: " + e.getMessage());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("type", "result");
      if (outcome instanceof DeployService.Outcome.Released released) {
        result.put("status", "succeeded");
        result.put("release", released.release().version());
      } else {
        result.put("status", "failed");
        result.put("error", ((DeployService.Outcome.Failed) outcome).reason());
      }
      output.emit(result);
    });
  }

  private PlatformException tooLarge() {
    return new PlatformException(
        Problem.TOO_LARGE, "upload is larger than the limit of " + (maxUploadBytes >> 20) + " MB");
  }

  /** Build output as NDJSON lines, flushed one by one. */
  private static final class NdjsonOutput implements BuildOutput {
    private final OutputStream out;
    private boolean gone;

    NdjsonOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void step(String text) {
      line("-----> " + text);
    }

    @Override
    public void info(String text) {
      line("       " + text);
    }

    @Override
    public void warn(String text) {
      line(" !     " + text);
    }

    private void line(String text) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "output");
      m.put("line", text);
      emit(m);
    }

    synchronized void emit(Map<String, Object> value) {
      if (gone) return;
      try {
        out.write(Json.MAPPER.writeValueAsBytes(value));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        gone = true; // the client left; the deploy still completes
      }
    }
  }

  /** Thrown when a body passes its limit while being read. */
  private static final class LimitExceeded extends IOException {
    LimitExceeded() {
      super("limit exceeded");
    }
  }

  private static final class LimitedInputStream extends java.io.FilterInputStream {
    private long remaining;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && --remaining < 0) throw new LimitExceeded();
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0 && (remaining -= n) < 0) throw new LimitExceeded();
      return n;
    }
  }
}
