package dev.streamlab.jobs;

import java.util.Arrays;
import java.util.Iterator;

/** The words of a line, as the lab splits them: on whitespace, empty ones left out. */
public final class Words {

  private Words() {}

  /** The words of {@code line}. */
  public static Iterator<String> of(String line) {
    return Arrays.stream(line.split("\\s+")).filter(word -> !word.isEmpty()).iterator();
  }
}
