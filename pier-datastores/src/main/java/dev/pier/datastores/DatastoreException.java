package dev.pier.datastores;

/** A data store could not do what was asked; the message is for the user (no secrets in it). */
public class DatastoreException extends Exception {
  public DatastoreException(String message) {
    super(message);
  }

  public DatastoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
