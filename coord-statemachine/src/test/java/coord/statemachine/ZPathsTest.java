package coord.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ZooKeeper's path rules, one case per rule, and the path helpers. */
class ZPathsTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "/", "/a", "/a/b/c", "/zookeeper", "/a-b_c.d", "/.a", "/a.", "/...", "/a..b", "/ a", "/a b",
      "/h\u00e9llo", "/\u65e5\u672c", "/\u00a0", "/\u00ff", "/\u0100", "/\ud7ff", "/\uf900", "/\uffef",
      "/~!@#$%^&*()", "/0000000001"})
  void valid(String path) {
    assertThat(ZPaths.invalidReason(path)).isNull();
    assertThat(ZPaths.isValid(path)).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "''           | path must not be empty",
      "a            | path must start with '/'",
      "a/b          | path must start with '/'",
      "' /a'        | path must start with '/'",
      "/a/          | path must not end with '/'",
      "/a/b/        | path must not end with '/'",
      "//           | path must not end with '/'",
      "//a          | empty component at index 1",
      "/a//b        | empty component at index 3",
      "/.           | relative component ('.' or '..') at index 1",
      "/..          | relative component ('.' or '..') at index 1",
      "/a/./b       | relative component ('.' or '..') at index 3",
      "/a/..        | relative component ('.' or '..') at index 3",
  })
  void invalidSyntax(String path, String reason) {
    assertThat(ZPaths.invalidReason(path)).isEqualTo(reason);
    assertThat(ZPaths.isValid(path)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(chars = {
      '\u0000', '\u0001', '\t', '\n', '\u001f', '\u007f', '\u0085', '\u009f',
      '\ud800', '\udfff', '\ue000', '\uf8ff', '\ufff0', '\ufffd', '\ufffe', '\uffff'})
  void forbiddenCharacters(char c) {
    String path = "/a" + c + "b";
    assertThat(ZPaths.invalidReason(path))
        .isEqualTo(String.format("invalid character \\u%04x at index 2", (int) c));
  }

  @Test
  void aSurrogatePairIsRejectedLikeZooKeeper() {
    assertThat(ZPaths.isValid("/\ud83d\ude00")).isFalse();
  }

  @Test
  void nullIsInvalid() {
    assertThat(ZPaths.invalidReason(null)).isEqualTo("path must not be empty");
  }

  @Test
  void theFirstProblemIsReported() {
    assertThat(ZPaths.invalidReason("/a\u0000//")).isEqualTo("path must not end with '/'");
    assertThat(ZPaths.invalidReason("/a\u0000/./b")).isEqualTo("invalid character \\u0000 at index 2");
  }

  @ParameterizedTest
  @CsvSource({
      "/a,       /,    a",
      "/a/b,     /a,   b",
      "/a/b/c,   /a/b, c",
      "/x/\u00e9, /x,  \u00e9",
  })
  void parentAndName(String path, String parent, String name) {
    assertThat(ZPaths.parent(path)).isEqualTo(parent);
    assertThat(ZPaths.name(path)).isEqualTo(name);
    assertThat(ZPaths.child(parent, name)).isEqualTo(path);
  }

  @Test
  void sequenceSuffixIsTenZeroPaddedDigits() {
    assertThat(ZPaths.sequenceSuffix(0)).isEqualTo("0000000000");
    assertThat(ZPaths.sequenceSuffix(42)).isEqualTo("0000000042");
    assertThat(ZPaths.sequenceSuffix(Integer.MAX_VALUE)).isEqualTo("2147483647");
  }
}
