package dev.streamlab.lab.run;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the start-up of a run goes ({@code --timings}): each step's end, in seconds since the JVM
 * started, from the JVM's own start time. The time before the JVM (the launcher script) is not in
 * it; {@code bench startup} measures that from outside.
 */
public final class StartupTimings {

  /** The prefix of the line {@link #line} gives, which {@code bench startup} looks for. */
  public static final String PREFIX = "start-up, seconds since the JVM started:";

  private static volatile long mainMillis;

  private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
  private final List<Step> steps = new ArrayList<>();

  /** A step of the start-up and when it ended, epoch ms. */
  private record Step(String name, long endMillis) {}

  /** Called first thing by the main method: the JVM's start and its classes up to main. */
  public static void mainEntered() {
    mainMillis = System.currentTimeMillis();
  }

  /** A clock of this JVM's start-up, with the entry into main as its first step if it was seen. */
  public StartupTimings() {
    if (mainMillis != 0) {
      steps.add(new Step("main", mainMillis));
    }
  }

  /** Records that {@code step} ended now. */
  public synchronized void ended(String step) {
    steps.add(new Step(step, System.currentTimeMillis()));
  }

  /** The steps so far: {@code start-up, seconds since the JVM started: main 0.31, broker 1.52…}. */
  public synchronized String line() {
    return steps.stream()
            .map(s -> String.format("%s %.2f", s.name(), (s.endMillis() - jvmStartMillis) / 1000.0))
            .collect(Collectors.joining(", ", PREFIX + " ", ""))
        + String.format(" (the JVM started at %d, epoch ms)", jvmStartMillis);
  }
}
