package dev.pier.errors;

/**
 * A failure the user caused or can fix, carrying its {@link Problem} class. The message is one
 * sentence meant for the user; the API and the git receiver each map it to the wire in one place.
 */
public class PlatformException extends RuntimeException {
  private final Problem problem;

  public PlatformException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public static PlatformException notFound(String message) {
    return new PlatformException(Problem.NOT_FOUND, message);
  }

  public static PlatformException invalid(String message) {
    return new PlatformException(Problem.INVALID, message);
  }

  public static PlatformException conflict(String message) {
    return new PlatformException(Problem.CONFLICT, message);
  }

  public static PlatformException insufficientStorage(String message) {
    return new PlatformException(Problem.INSUFFICIENT_STORAGE, message);
  }

  public static PlatformException badRequest(String message) {
    return new PlatformException(Problem.BAD_REQUEST, message);
  }
}
