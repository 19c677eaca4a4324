package dev.pier.cli;

/** An error response of the Pier API; the message is the problem's {@code detail}. */
final class ApiException extends CliException {
  private final int status;
  private final String code;

  ApiException(int status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status, such as 404. */
  int status() {
    return status;
  }

  /** The problem's {@code code}, such as {@code not_found}; empty when the server sent none. */
  String code() {
    return code;
  }
}
