package io.rtmkit;

import java.util.Objects;

/** A user or channel attribute: a key and its value. */
public final class RtmAttribute {
  private final String key;
  private final String value;

  public RtmAttribute(String key, String value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
  }

  public String getKey() {
    return key;
  }

  public String getValue() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RtmAttribute && key.equals(((RtmAttribute) o).key) && value.equals(((RtmAttribute) o).value);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
