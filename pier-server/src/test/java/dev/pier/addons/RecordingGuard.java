package dev.pier.addons;

import dev.pier.sandbox.NetworkGuard;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** A network guard that keeps, per guarded port, the uids that may connect to it (owner first). */
final class RecordingGuard implements NetworkGuard {
  final Map<Integer, Set<Integer>> admitted = new ConcurrentHashMap<>();

  @Override
  public void confine(int uid) {}

  @Override
  public void open(int uid, int port) {}

  @Override
  public void shut(int uid, int port) {}

  @Override
  public void guardPort(int port, int ownerUid) {
    admitted.computeIfAbsent(port, p -> new TreeSet<>());
  }

  @Override
  public void admit(int uid, int port) {
    admitted.computeIfAbsent(port, p -> new TreeSet<>()).add(uid);
  }

  @Override
  public void revoke(int uid, int port) {
    Set<Integer> uids = admitted.get(port);
    if (uids != null) uids.remove(uid);
  }

  @Override
  public void unguard(int port) {
    admitted.remove(port);
  }

  @Override
  public void close() {}
}
