package dev.pier.router;

import dev.pier.model.Backend;
import dev.pier.model.Route;
import dev.pier.model.RouteTable;
import dev.pier.model.VersionRoute;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Unused kept-alive connections to instances, so a request can skip the TCP handshake (and the
 * router leaves no TIME_WAIT socket per request).
 *
 * <p>One pool per event loop, touched only on that loop: a connection is always used on the loop
 * it was opened on, the loop of the client connection it serves, so no connection crosses
 * threads. Per instance the most recently used connection is handed out first, so surplus ones
 * age out.
 *
 * <p>Bounds: at most {@link RouterConfig#maxIdlePerBackend()} unused connections per instance and
 * loop (a connection returned beyond that is closed); one unused for {@link
 * RouterConfig#backendIdleTimeout()} is closed. An unused connection keeps a read pending, so a
 * close by the instance (or stray bytes from it) removes it at once. When a route table without
 * an instance is published ({@link #routesChanged()}) its unused connections are closed, and a
 * connection to an instance missing from the current table is never taken back.
 *
 * <p>Thread safety: {@link #routesChanged()} may be called from any thread; every other method
 * only on the event loop given to it.
 */
final class BackendPool {
  private final long idleNanos;
  private final int maxIdle;
  private final Supplier<RouteTable> routes;
  private final ConcurrentHashMap<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();
  /** The backends of one table, computed once per published table. */
  private volatile Listed listed = new Listed(RouteTable.EMPTY, Set.of());

  BackendPool(RouterConfig config, Supplier<RouteTable> routes) {
    this.idleNanos = config.backendIdleTimeout().toNanos();
    this.maxIdle = config.maxIdlePerBackend();
    this.routes = routes;
  }

  /** An unused connection and the handler at the end of its pipeline. */
  record Pooled(Channel channel, BackendHandler handler) {}

  private record Idle(Pooled pooled, long sinceNanos) {}

  private record Listed(RouteTable table, Set<Backend> backends) {}

  /** Returns an open unused connection to {@code backend} on {@code loop}, or null if none. */
  Pooled acquire(EventLoop loop, Backend backend) {
    if (maxIdle == 0) return null;
    LoopPool pool = loops.get(loop);
    return pool == null ? null : pool.acquire(backend);
  }

  /**
   * Takes back a connection whose last exchange ended cleanly (its handler already unbound), or
   * closes it when the pool is full, pooling is off or the instance is no longer routed to.
   */
  void release(Backend backend, Pooled pooled) {
    Channel ch = pooled.channel();
    if (maxIdle == 0 || !ch.isActive() || !isListed(backend)) {
      ch.close();
      return;
    }
    loops.computeIfAbsent(ch.eventLoop(), LoopPool::new).release(backend, pooled);
  }

  /** Forgets a connection that closed; a no-op if it was not unused in the pool. */
  void remove(Backend backend, Channel ch) {
    LoopPool pool = loops.get(ch.eventLoop());
    if (pool != null) pool.remove(backend, ch);
  }

  /** Closes the unused connections of every instance missing from the current route table. */
  void routesChanged() {
    for (LoopPool pool : loops.values()) {
      try {
        pool.loop.execute(pool::dropUnlisted);
      } catch (RejectedExecutionException e) {
        // the loop is shutting down and closes its channels itself
      }
    }
  }

  /** Returns how many unused connections the pool holds on {@code loop} (for tests). */
  int idleCount(EventLoop loop) {
    LoopPool pool = loops.get(loop);
    return pool == null ? 0 : pool.count();
  }

  private boolean isListed(Backend backend) {
    RouteTable table = routes.get();
    Listed l = listed;
    if (l.table() != table) {
      Set<Backend> all = new HashSet<>();
      for (Route route : table.byHost().values()) {
        for (VersionRoute version : route.versions()) all.addAll(version.backends());
      }
      l = new Listed(table, all);
      listed = l; // racing threads compute the same set
    }
    return l.backends().contains(backend);
  }

  /** The unused connections of one event loop; used only on that loop. */
  private final class LoopPool {
    final EventLoop loop;
    final Map<Backend, ArrayDeque<Idle>> byBackend = new HashMap<>();
    ScheduledFuture<?> sweep;

    LoopPool(EventLoop loop) {
      this.loop = loop;
    }

    Pooled acquire(Backend backend) {
      ArrayDeque<Idle> idle = byBackend.get(backend);
      if (idle == null) return null;
      long now = System.nanoTime();
      Idle entry;
      while ((entry = idle.pollFirst()) != null) {
        Channel ch = entry.pooled().channel();
        if (ch.isActive() && now - entry.sinceNanos() < idleNanos) return entry.pooled();
        ch.close();
      }
      return null;
    }

    void release(Backend backend, Pooled pooled) {
      ArrayDeque<Idle> idle = byBackend.computeIfAbsent(backend, b -> new ArrayDeque<>());
      if (idle.size() >= maxIdle) {
        pooled.channel().close();
        return;
      }
      idle.addFirst(new Idle(pooled, System.nanoTime()));
      pooled.channel().read(); // notice a close by the instance while unused
      if (sweep == null) sweep = loop.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
    }

    void remove(Backend backend, Channel ch) {
      ArrayDeque<Idle> idle = byBackend.get(backend);
      if (idle != null) idle.removeIf(e -> e.pooled().channel() == ch);
    }

    int count() {
      int n = 0;
      for (ArrayDeque<Idle> idle : byBackend.values()) n += idle.size();
      return n;
    }

    /** Closes connections unused for the idle timeout; runs again while any are left. */
    void sweep() {
      sweep = null;
      long now = System.nanoTime();
      long oldest = Long.MAX_VALUE;
      for (Iterator<ArrayDeque<Idle>> it = byBackend.values().iterator(); it.hasNext(); ) {
        ArrayDeque<Idle> idle = it.next();
        Idle last;
        while ((last = idle.peekLast()) != null && now - last.sinceNanos() >= idleNanos) {
          idle.pollLast();
          last.pooled().channel().close();
        }
        if (idle.isEmpty()) it.remove();
        else oldest = Math.min(oldest, last.sinceNanos());
      }
      if (oldest != Long.MAX_VALUE) {
        long delay = Math.max(0, oldest + idleNanos - now);
        sweep = loop.schedule(this::sweep, delay, TimeUnit.NANOSECONDS);
      }
    }

    void dropUnlisted() {
      for (Iterator<Map.Entry<Backend, ArrayDeque<Idle>>> it = byBackend.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Backend, ArrayDeque<Idle>> e = it.next();
        if (isListed(e.getKey())) continue;
        it.remove();
        for (Idle idle : e.getValue()) idle.pooled().channel().close();
      }
    }
  }
}
