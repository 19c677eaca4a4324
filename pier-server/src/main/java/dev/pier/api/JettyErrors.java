package dev.pier.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.errors.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the error pages Jetty writes itself (a malformed request line or header, an ambiguous
 * path such as {@code /apps/a%2fb}, an uncaught servlet error) problem JSON like every other API
 * error, instead of Jetty's HTML. Paths under {@code /git/} keep Jetty's text pages: git clients
 * show those to the user as they are.
 */
public final class JettyErrors {
  private static final String PROBLEM_JSON = "application/problem+json;charset=utf-8";

  private JettyErrors() {}

  /** Installs the problem JSON error pages on the server (errors before any context) and the context. */
  public static void install(Server server, ServletContextHandler context) {
    server.setErrorHandler(new ServerPages());
    context.setErrorHandler(new ContextPages());
  }

  /** The problem JSON body for a status Jetty chose, with its reason as the detail. */
  static byte[] body(int status, String message) {
    Problem known = null;
    for (Problem p : Problem.values()) {
      if (p.status == status) known = p;
    }
    String title = known != null ? known.title : HttpStatus.getMessage(status);
    String code = known != null ? known.code : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String detail;
    if (status == 500) {
      detail = "internal error; the server log has details";
    } else if (message == null || message.isBlank() || message.equals(title)) {
      detail = title;
    } else if (message.startsWith("Ambiguous URI")) {
      detail = message + ": encoded '/', '\\\\', '.' or '%' (such as %2F) are not accepted in paths";
    } else {
      detail = message;
    }
    try {
      return Json.MAPPER.writeValueAsBytes(ApiErrors.body(status, code, title, detail));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isGit(Request request) {
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    return path != null && (path.equals("/git") || path.startsWith("/git/"));
  }

  private static void writeProblem(Response response, Callback callback, int status, String message) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
    response.write(true, ByteBuffer.wrap(body(status, message)), callback);
  }

  /** Errors Jetty answers before a request reaches the servlet context. */
  private static final class ServerPages extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
        Request request, Response response, Callback callback, String contentType,
        List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
      if (isGit(request)) {
        return super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, message, cause);
      }
      writeProblem(response, callback, code, message);
      return true;
    }
  }

  /** Errors inside the servlet context ({@code sendError}, uncaught exceptions, ambiguous paths). */
  private static final class ContextPages extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
        Request request, Response response, Callback callback, String contentType,
        List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
      if (isGit(request)) {
        return super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, message, cause);
      }
      writeProblem(response, callback, code, message);
      ServletContextRequest servletRequest = Request.as(request, ServletContextRequest.class);
      if (servletRequest != null) servletRequest.getServletChannel().sendErrorResponseAndComplete();
      return true;
    }
  }
}
