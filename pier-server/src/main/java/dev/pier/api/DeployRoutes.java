package dev.pier.api;

import dev.pier.app.App;
import dev.pier.app.AppService;
import dev.pier.deploy.BuildStore;
import dev.pier.deploy.DeployService;
import dev.pier.deploy.SourceTree;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import dev.pier.store.DataDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code POST /apps/APP/deploy}: a tar.gz of a directory in, build output out as NDJSON. The
 * upload is checked and unpacked completely before anything is built or streamed, so a bad
 * upload gets a plain 4xx.
 */
final class DeployRoutes {
  private final AppService apps;
  private final DeployService deploys;
  private final BuildStore builds;
  private final long maxUploadBytes;

  DeployRoutes(AppService apps, DeployService deploys, BuildStore builds, long maxUploadBytes) {
    this.apps = apps;
    this.deploys = deploys;
    this.builds = builds;
    this.maxUploadBytes = maxUploadBytes;
  }

  void register(ApiServlet api) {
    api.on("GET", AppRoutes.APP + "/builds/?", ex -> {
      App app = apps.get(ex.param(1));
      ex.json(200, builds.list(app.name(), ex.queryInt("limit", 50, 1, 500)));
    });
    api.on("GET", AppRoutes.APP + "/builds/(\\d{1,9})", ex -> {
      App app = apps.get(ex.param(1));
      // The per-app build number (1, 2, 3...), as listings show it; not the global id.
      int number = Integer.parseInt(ex.param(2));
      ex.json(200, builds.find(app.name(), number)
          .orElseThrow(() -> PlatformException.notFound("app '" + app.name() + "' has no build " + number)));
    });
    api.on("POST", AppRoutes.APP + "/deploy", ex -> {
      App app = apps.get(ex.param(1));
      long declared = ex.request.getContentLengthLong();
      if (declared > maxUploadBytes) throw tooLarge();
      deploys.requireDisk(app);
      Path source = deploys.newSourceDir(app);
      try (InputStream in = new LimitedInputStream(ex.request.getInputStream(), maxUploadBytes)) {
        new SourceTree(source).extractTarGz(in, maxUploadBytes);
      } catch (PlatformException | IOException e) {
        DataDirs.deleteTree(source);
        if (e instanceof LimitExceeded) throw tooLarge();
        if (e instanceof IOException io) throw PlatformException.badRequest("cannot read the upload: " + why(io));
        throw e;
      }
      boolean promote = !"false".equals(ex.query("promote", "true"));
      NdjsonStream output = NdjsonStream.open(ex.response);
      DeployService.Outcome outcome;
      try {
        outcome = deploys.deploy(app, source, "Deploy from directory upload", ex.user, promote, output);
      } catch (PlatformException e) {
        outcome = new DeployService.Outcome.Failed(e.getMessage());
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(DeployRoutes.class).error("deploy failed", e);
        outcome = new DeployService.Outcome.Failed("internal error: " + e.getMessage());
      }
      if (outcome instanceof DeployService.Outcome.Released released) {
        output.succeeded(Map.of("release", released.release().version()));
      } else {
        output.failed(((DeployService.Outcome.Failed) outcome).reason());
      }
    });
  }

  private static String why(IOException e) {
    if (e instanceof java.io.EOFException) return "it ends before the archive does (cut off?)";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private PlatformException tooLarge() {
    return new PlatformException(
        Problem.TOO_LARGE, "upload is larger than the limit of " + (maxUploadBytes >> 20) + " MB");
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
