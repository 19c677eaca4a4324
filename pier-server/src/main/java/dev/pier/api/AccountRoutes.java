package dev.pier.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /account}: who the request's token belongs to ({@code pier whoami}). */
final class AccountRoutes {
  void register(ApiServlet api) {
    api.on("GET", "/account/?", ex -> {
      Map<String, Object> account = new LinkedHashMap<>();
      account.put("user", ex.user);
      String url = ex.request.getRequestURL().toString();
      String base = url.substring(0, url.length() - ex.request.getRequestURI().length());
      account.put("api", base);
      ex.json(200, account);
    });
  }
}
