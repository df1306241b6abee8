package coord.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A {@code host:port} a client connects to; IPv6 hosts are written in brackets, {@code [::1]:2281}. */
record Endpoint(String host, int port) {

  /** Parses a comma-separated list; blanks around entries are ignored, duplicates dropped. */
  static List<Endpoint> parseList(List<String> specs) {
    if (specs == null) {
      throw new IllegalArgumentException("endpoints must not be null");
    }
    Set<Endpoint> result = new LinkedHashSet<>();
    for (String spec : specs) {
      if (spec == null) {
        throw new IllegalArgumentException("endpoints must not contain null");
      }
      for (String part : spec.split(",", -1)) {
        if (!part.isBlank()) {
          result.add(parse(part.strip()));
        }
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException("no endpoints given: " + specs);
    }
    return List.copyOf(new ArrayList<>(result));
  }

  /** Parses one {@code host:port}. */
  static Endpoint parse(String spec) {
    String s = spec == null ? "" : spec.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw invalid(spec);
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        throw invalid(spec);
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    if (host.isEmpty() || !host.chars().allMatch(Endpoint::isHostChar)) {
      throw invalid(spec);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw invalid(spec);
    }
    if (p < 1 || p > 65535 || !port.chars().allMatch(Character::isDigit)) {
      throw invalid(spec);
    }
    return new Endpoint(host, p);
  }

  private static boolean isHostChar(int c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
  }

  private static IllegalArgumentException invalid(String spec) {
    return new IllegalArgumentException(
        "invalid endpoint '" + spec + "': expected host:port, e.g. 127.0.0.1:2281 or [::1]:2281");
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
