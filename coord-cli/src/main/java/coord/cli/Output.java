package coord.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coord.api.v1.ErrorCode;
import coord.api.v1.Stat;
import coord.client.CoordException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;

/**
 * Prints results and errors in the chosen format: zkCli's text, or one JSON object per result and line.
 * Results go to stdout, errors to stderr, both through picocli's writers.
 */
final class Output {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  Output(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** Prints a line of text on stdout. */
  void line(String text) {
    out.println(text);
  }

  /** Prints one JSON object on one line of stdout. */
  void object(ObjectNode node) {
    out.println(write(node));
  }

  /** Flushes stdout: streaming commands do after every event, so that a pipe sees it at once. */
  void flush() {
    out.flush();
  }

  /**
   * Prints a note for the user on stderr that is not an error (text: the message; json: an object with
   * {@code "note"}, a stable name, and {@code "message"}).
   */
  void note(String name, String message) {
    if (json) {
      err.println(write(newObject().put("note", name).put("message", message)));
    } else {
      err.println(message);
    }
    err.flush();
  }

  /** Prints that a watch's history is compacted on stderr and returns {@link ExitCodes#COMPACTED}. */
  int compacted(String path, long oldestZxid) {
    String message = "history compacted: the server no longer keeps the changes a watch on " + path
        + " had to resume from (oldest resumable zxid " + hex(oldestZxid) + "); re-read, then watch again";
    if (json) {
      err.println(write(newObject().put("error", "COMPACTED").put("path", path)
          .put("oldestZxid", oldestZxid).put("message", message)));
    } else {
      err.println(message);
    }
    return ExitCodes.COMPACTED;
  }

  /** A new JSON object, to fill and pass to {@link #object}. */
  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  /** A new JSON object holding {@code "path"}. */
  static ObjectNode newObject(String path) {
    return newObject().put("path", path);
  }

  /** Prints zkCli's stat block. */
  void statBlock(Stat s) {
    out.println("cZxid = " + hex(s.getCzxid()));
    out.println("ctime = " + new Date(s.getCtime()));
    out.println("mZxid = " + hex(s.getMzxid()));
    out.println("mtime = " + new Date(s.getMtime()));
    out.println("pZxid = " + hex(s.getPzxid()));
    out.println("cversion = " + s.getCversion());
    out.println("dataVersion = " + s.getVersion());
    out.println("aclVersion = " + s.getAclVersion());
    out.println("ephemeralOwner = " + hex(s.getEphemeralOwner()));
    out.println("dataLength = " + s.getDataLength());
    out.println("numChildren = " + s.getNumChildren());
  }

  /** The stat as a JSON object: the 11 fields under their camelCase proto names. */
  static ObjectNode statJson(Stat s) {
    return newObject()
        .put("czxid", s.getCzxid())
        .put("mzxid", s.getMzxid())
        .put("pzxid", s.getPzxid())
        .put("ctime", s.getCtime())
        .put("mtime", s.getMtime())
        .put("version", s.getVersion())
        .put("cversion", s.getCversion())
        .put("aclVersion", s.getAclVersion())
        .put("ephemeralOwner", s.getEphemeralOwner())
        .put("dataLength", s.getDataLength())
        .put("numChildren", s.getNumChildren());
  }

  /** Puts {@code "data"} (UTF-8 text) or, for bytes that are not UTF-8, {@code "dataBase64"}. */
  static ObjectNode putData(ObjectNode node, byte[] data) {
    String text = utf8(data);
    return text != null
        ? node.put("data", text)
        : node.put("dataBase64", Base64.getEncoder().encodeToString(data));
  }

  /** The bytes as a string if they are valid UTF-8, else null. */
  static String utf8(byte[] data) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Prints a failed call on stderr, in zkCli's words where zkCli has some, and returns its exit code.
   * {@code path} names the node when the server did not.
   */
  int error(CoordException e, String path) {
    String where = e.path() != null ? e.path() : path;
    String message = switch (e.code()) {
      case NO_NODE -> "Node does not exist: " + where;
      case NODE_EXISTS -> "Node already exists: " + where;
      case BAD_VERSION -> "version No is not valid : " + where;
      case NOT_EMPTY -> "Node not empty: " + where;
      default -> e.getMessage();
    };
    return error(e.code(), where, message);
  }

  /** Prints an error on stderr and returns the exit code of {@code code}. */
  int error(ErrorCode code, String path, String message) {
    if (json) {
      ObjectNode node = newObject().put("error", code.name());
      if (path != null) {
        node.put("path", path);
      }
      err.println(write(node.put("message", message)));
    } else {
      err.println(message);
    }
    return ExitCodes.of(code);
  }

  /** Prints a usage-level problem (not a coord error) on stderr and returns the usage exit code. */
  int usageError(String message) {
    if (json) {
      err.println(write(newObject().put("error", "USAGE").put("message", message)));
    } else {
      err.println(message);
    }
    return ExitCodes.USAGE;
  }

  static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
