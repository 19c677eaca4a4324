package dev.pier.router;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The Netty I/O flavour: native epoll on Linux when its library loads, else portable NIO. */
record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel) {

  static Transport detect() {
    return Epoll.isAvailable() ? epoll() : nio();
  }

  static Transport epoll() {
    return new Transport("epoll", EpollIoHandler.newFactory(),
        EpollServerSocketChannel.class, EpollSocketChannel.class);
  }

  static Transport nio() {
    return new Transport("nio", NioIoHandler.newFactory(),
        NioServerSocketChannel.class, NioSocketChannel.class);
  }
}
