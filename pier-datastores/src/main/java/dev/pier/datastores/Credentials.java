package dev.pier.datastores;

/**
 * How an app connects to an add-on. Kept by the Pier server in its store.
 *
 * @param host {@code 127.0.0.1}
 * @param port the add-on's port
 * @param user the role (postgres), user (rabbitmq, memcached SASL) or empty (redis)
 * @param password the secret, random, URL-safe
 * @param path the database (postgres), vhost (rabbitmq) or empty
 */
public record Credentials(String host, int port, String user, String password, String path) {
  @Override
  public String toString() {
    return "Credentials[" + user + "@" + host + ":" + port + "/" + path + ", password hidden]";
  }
}
