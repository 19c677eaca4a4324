package dev.pier.git;

import dev.pier.app.AppService;
import dev.pier.auth.Authenticator;
import dev.pier.deploy.DeployService;
import dev.pier.model.AppName;
import dev.pier.errors.PlatformException;
import dev.pier.store.DataDirs;
import dev.pier.store.DiskSpace;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * Git smart HTTP at {@code /git/APP.git}: a basic-auth filter (any user, the token as password)
 * in front of JGit's {@link GitServlet}, whose receive-pack runs {@link PushHook}.
 *
 * <pre>
 *   git push -> AuthFilter -> GitServlet -> resolve APP.git -> ReceivePack -> PushHook
 *                                                          -> DeployService (build, release, launch)
 * </pre>
 */
public final class GitReceiver {
  private static final String USER_ATTRIBUTE = "pier.user";

  private final AppService apps;
  private final DeployService deploys;
  private final DataDirs dirs;
  private final Authenticator auth;
  private final long maxPushBytes;
  private final DiskSpace disk;

  /**
   * @param maxPushBytes limit of a push's pack and of its tree unpacked (the upload limit)
   * @param disk refuses pushes (507) while the data disk is below its reserve
   */
  public GitReceiver(AppService apps, DeployService deploys, DataDirs dirs, Authenticator auth,
      long maxPushBytes, DiskSpace disk) {
    this.maxPushBytes = maxPushBytes;
    this.disk = disk;
    this.apps = apps;
    this.deploys = deploys;
    this.dirs = dirs;
    this.auth = auth;
  }

  private volatile dev.pier.previews.PreviewService previews;

  /** #10 branch previews: pushes of branches other than main build previews from now on. */
  public void previews(dev.pier.previews.PreviewService previews) {
    this.previews = previews;
  }

  public GitServlet servlet() {
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver(
        (HttpServletRequest req, String name) -> {
          String app = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
          try {
            apps.get(app);
          } catch (PlatformException e) {
            throw new RepositoryNotFoundException(name);
          }
          try {
            return new FileRepositoryBuilder()
                .setGitDir(dirs.repo(new AppName(app)).toFile())
                .setMustExist(true)
                .build();
          } catch (IOException e) {
            throw new RepositoryNotFoundException(name, e);
          }
        });
    servlet.setReceivePackFactory(
        (HttpServletRequest req, Repository db) -> {
          ReceivePack rp = new ReceivePack(db);
          rp.setCheckReceivedObjects(true);
          rp.setAllowPushOptions(true);
          rp.setMaxPackSizeLimit(maxPushBytes);
          String dirName = db.getDirectory().getName();
          String app = dirName.substring(0, dirName.length() - 4);
          rp.setPreReceiveHook(new PushHook(apps, deploys, app, (String) req.getAttribute(USER_ATTRIBUTE), maxPushBytes,
              previews == null ? null : new PreviewPushes(apps, deploys, previews, maxPushBytes)));
          return rp;
        });
    return servlet;
  }

  /**
   * Answers a push's ref advertisement with git's {@code ERR} packet, which the client prints as
   * {@code fatal: remote error: MESSAGE} before sending anything.
   */
  private static void refuse(HttpServletResponse resp, String message) throws IOException {
    resp.setStatus(200);
    resp.setContentType("application/x-git-receive-pack-advertisement");
    resp.setHeader("Cache-Control", "no-cache");
    var out = resp.getOutputStream();
    out.write(pktLine("# service=git-receive-pack\n"));
    out.write("0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(pktLine("ERR " + message));
    out.flush();
  }

  private static byte[] pktLine(String payload) {
    byte[] data = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String length = String.format("%04x", data.length + 4);
    byte[] line = new byte[data.length + 4];
    System.arraycopy(length.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, line, 0, 4);
    System.arraycopy(data, 0, line, 4, data.length);
    return line;
  }

  /** Rejects requests without a valid token with 401 and a Basic challenge (git then asks). */
  public Filter authFilter() {
    return new Filter() {
      @Override
      public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
          throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String user = auth.userForBasic(req.getHeader("Authorization"));
        if (user == null) {
          resp.setHeader("WWW-Authenticate", "Basic realm=\"Pier\"");
          resp.sendError(401, "Authentication required: use your Pier API token as the password");
          return;
        }
        req.setAttribute(USER_ATTRIBUTE, user);
        boolean advertisement = req.getRequestURI().endsWith("/info/refs")
            && "git-receive-pack".equals(req.getParameter("service"));
        if (advertisement || req.getRequestURI().endsWith("/git-receive-pack")) {
          try {
            disk.require("receive a push");
          } catch (PlatformException full) {
            if (advertisement) {
              refuse(resp, full.getMessage());
            } else {
              resp.sendError(507, full.getMessage());
            }
            return;
          }
        }
        chain.doFilter(request, response);
      }
    };
  }
}
