package dev.pier.git;

import dev.pier.build.BuildOutput;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * Sends build output to the pushing git client as {@code remote:} lines, flushing each line so
 * the user sees it as it happens (JGit buffers messages until the hook returns otherwise).
 */
final class RemoteOutput {
  private RemoteOutput() {}

  static BuildOutput to(ReceivePack receivePack) {
    return BuildOutput.lines(line -> send(receivePack, line));
  }

  private static void send(ReceivePack receivePack, String line) {
    synchronized (receivePack) {
      receivePack.sendMessage(line);
      OutputStream out = receivePack.getMessageOutputStream();
      try {
        if (out != null) out.flush();
      } catch (IOException e) {
        // The client went away; the build goes on and its result is still recorded.
      }
    }
  }
}
