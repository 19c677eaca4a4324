package dev.pier.errors;

/** Classes of failure a user can act on, each with its HTTP status and wire code. */
public enum Problem {
  BAD_REQUEST(400, "bad_request", "Bad Request"),
  UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
  FORBIDDEN(403, "forbidden", "Forbidden"),
  NOT_FOUND(404, "not_found", "Not Found"),
  CONFLICT(409, "conflict", "Conflict"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method Not Allowed"),
  TOO_LARGE(413, "too_large", "Payload Too Large"),
  INVALID(422, "invalid", "Unprocessable Content"),
  INSUFFICIENT_STORAGE(507, "insufficient_storage", "Insufficient Storage"),
  INTERNAL(500, "internal", "Internal Server Error");

  public final int status;
  public final String code;
  public final String title;

  Problem(int status, String code, String title) {
    this.status = status;
    this.code = code;
    this.title = title;
  }
}
