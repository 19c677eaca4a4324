package dev.pier.git;

import dev.pier.deploy.SourceTree;
import dev.pier.errors.PlatformException;
import dev.pier.errors.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the tree of a pushed commit into a directory through {@link SourceTree}'s checks, up to
 * {@code maxBytes} unpacked (the upload limit: a small pack can hold a huge file of zeros).
 */
final class TreeExporter {
  private TreeExporter() {}

  static void export(Repository repo, ObjectId commitId, Path dir, long maxBytes) throws IOException {
    SourceTree tree = new SourceTree(dir);
    long total = 0;
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk treeWalk = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(commitId);
      treeWalk.addTree(commit.getTree());
      treeWalk.setRecursive(true);
      while (treeWalk.next()) {
        String path = treeWalk.getPathString();
        FileMode mode = treeWalk.getFileMode(0);
        ObjectId blob = treeWalk.getObjectId(0);
        if (mode == FileMode.GITLINK) continue; // submodules are not fetched
        if (mode == FileMode.SYMLINK) {
          String target = new String(repo.open(blob).getBytes(), StandardCharsets.UTF_8);
          tree.symlink(path, target);
          continue;
        }
        total += repo.open(blob).getSize();
        if (total > maxBytes) {
          throw new PlatformException(Problem.TOO_LARGE, "the pushed tree is larger than "
              + (maxBytes >> 20) + " MB unpacked (at " + path + "); the limit is PIER_MAX_UPLOAD_MB");
        }
        Path target = tree.resolve(path);
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          repo.open(blob).copyTo(out);
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
          Files.setPosixFilePermissions(
              target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
    tree.checkLinks();
  }
}
