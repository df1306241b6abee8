package coord.statemachine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots are RocksDB checkpoints in {@code sm/snapshots/snapshot.TERM_INDEX/}. The live store is
 * {@code sm/db}, outside the snapshot folder, because Ratis replaces the whole snapshot folder when it
 * installs a snapshot sent by the leader.
 */
final class SnapshotStore implements StateMachineStorage {
  private static final String PREFIX = "snapshot.";

  private Path smDir;
  private Path snapshotsDir;
  private Path tmpDir;
  /**
   * The answer of {@link #getLatestSnapshot()} until the folder changes: Ratis asks for every entry it
   * appends, sends and applies, and listing the folder each time cost a tenth of a leader's CPU.
   */
  private volatile Latest latest;

  private record Latest(SnapshotInfo info, Path dir) {}

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    snapshotsDir = smDir.resolve("snapshots");
    tmpDir = raftStorage.getStorageDir().getTmpDir().toPath();
    Files.createDirectories(snapshotsDir);
    invalidate();
  }

  /** Forget the cached latest snapshot: one was taken, installed or deleted. */
  void invalidate() {
    latest = null;
  }

  Path dbDir() {
    return smDir.resolve("db");
  }

  Path tmpDir() {
    return tmpDir;
  }

  Path pathFor(TermIndex ti) {
    return snapshotsDir.resolve(PREFIX + ti.getTerm() + "_" + ti.getIndex());
  }

  private static TermIndex parse(Path dir) {
    String name = dir.getFileName().toString();
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = name.substring(PREFIX.length()).split("_");
    if (parts.length != 2) {
      return null;
    }
    try {
      return TermIndex.valueOf(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private List<Path> sorted() throws IOException {
    List<Path> dirs = new ArrayList<>();
    if (snapshotsDir == null || !Files.isDirectory(snapshotsDir)) {
      return dirs;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(snapshotsDir)) {
      for (Path p : s) {
        if (Files.isDirectory(p) && parse(p) != null) {
          dirs.add(p);
        }
      }
    }
    dirs.sort(Comparator.comparingLong(p -> parse(p).getIndex()));
    return dirs;
  }

  Path latest() throws IOException {
    List<Path> dirs = sorted();
    return dirs.isEmpty() ? null : dirs.get(dirs.size() - 1);
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    Latest known = latest;
    // The folder check catches a snapshot replaced behind our back (Ratis installing one from the leader).
    if (known != null && (known.dir() == null || Files.isDirectory(known.dir()))) {
      return known.info();
    }
    try {
      Path dir = latest();
      SnapshotInfo info = dir == null ? null : describe(dir);
      latest = new Latest(info, dir);
      return info;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SnapshotInfo describe(Path dir) throws IOException {
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      // Ratis writes an .md5 beside each file it installs; they are not part of the checkpoint.
      s.filter(f -> !f.getFileName().toString().endsWith(".md5")).sorted()
          .forEach(f -> files.add(new FileInfo(f.toAbsolutePath(), null)));
    }
    return new FileListSnapshotInfo(files, parse(dir));
  }

  /**
   * Copies the newest snapshot into an empty {@code target}. SST files are immutable and hard-linked where
   * the file system allows; the rest (MANIFEST, CURRENT, OPTIONS) is copied, as RocksDB may append to it.
   */
  boolean restoreLatestInto(Path target) throws IOException {
    Path latest = latest();
    if (latest == null) {
      return false;
    }
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(latest)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().endsWith(".md5")) {
          continue;
        }
        Path dest = target.resolve(f.getFileName());
        if (f.getFileName().toString().endsWith(".sst")) {
          try {
            Files.createLink(dest, f);
            continue;
          } catch (IOException | UnsupportedOperationException e) {
            // another file system: fall through to a copy
          }
        }
        Files.copy(f, dest);
      }
    }
    return true;
  }

  @Override
  public void format() {}

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = Math.max(1, policy.getNumSnapshotsRetained());
    List<Path> dirs = sorted();
    for (int i = 0; i < dirs.size() - keep; i++) {
      deleteRecursively(dirs.get(i));
    }
    invalidate();
  }

  @Override
  public File getSnapshotDir() {
    return snapshotsDir.toFile();
  }

  @Override
  public File getTmpDir() {
    return tmpDir.toFile();
  }

  static void deleteRecursively(Path p) throws IOException {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(x);
      }
    }
  }
}
