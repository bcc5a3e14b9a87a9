package dev.wheelhouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetaKeysTest {

  @Test
  void upperBoundIsTheNextPrefix() {
    assertThat(MetaKeys.upperBound(new byte[] {'a', 0})).containsExactly('a', 1);
    assertThat(MetaKeys.upperBound(new byte[] {'a', (byte) 0xff})).containsExactly('b');
    assertThat(MetaKeys.upperBound(new byte[] {(byte) 0xff})).isNull();
    assertThat(MetaKeys.upperBound(new byte[0])).isNull();
  }

  @Test
  void fileKeysSplitBackIntoNames() {
    byte[] key = MetaKeys.file("pypi", "zope-interface", "zope.interface-7.0.tar.gz");

    assertThat(MetaKeys.split(key, 3))
        .containsExactly("pypi", "zope-interface", "zope.interface-7.0.tar.gz");
    assertThat(MetaKeys.startsWith(key, MetaKeys.projectPrefix("pypi", "zope-interface"))).isTrue();
    assertThat(MetaKeys.startsWith(key, MetaKeys.projectPrefix("pypi", "zope"))).isFalse();
    assertThatThrownBy(() -> MetaKeys.split(key, 2)).isInstanceOf(RecordFormatException.class);
  }

  @Test
  void namesMustBeNonEmptyAndFreeOfNul() {
    assertThatThrownBy(() -> MetaKeys.project("local", "a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("project must not contain NUL");
    assertThatThrownBy(() -> MetaKeys.file("local", "a", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("filename must not be empty");
    assertThatThrownBy(() -> MetaKeys.indexPrefix(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
