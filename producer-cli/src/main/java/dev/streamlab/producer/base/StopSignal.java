package dev.streamlab.producer.base;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stop request from Ctrl-C (SIGINT) or SIGTERM, taken while the JVM is still fully alive.
 *
 * <p>Why not a shutdown hook: once the JVM shuts down, Spark's executor stops its thread pool in
 * its own hook, before the streaming context's graceful stop can finish the batch in flight, so a
 * graceful stop from a hook always runs into its timeout. Trapping the signals instead lets a
 * command stop its work in order, print its summary and exit with code 0. A second signal exits at
 * once (code 130), for the impatient.
 *
 * <p>The trap uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK), reached
 * reflectively because javac warns about any direct reference to it and the build is warning-free.
 * Where it is missing, {@link #trap()} falls back to a shutdown hook that only requests the stop.
 */
public final class StopSignal {

  private final CountDownLatch requested = new CountDownLatch(1);

  private StopSignal() {}

  /** A stop signal released by the first SIGINT or SIGTERM from now on. */
  public static StopSignal trap() {
    StopSignal signal = new StopSignal();
    if (!signal.handle("INT") || !signal.handle("TERM")) {
      Runtime.getRuntime().addShutdownHook(new Thread(signal::request, "stop-signal"));
    }
    return signal;
  }

  /** Whether a stop was requested. */
  public boolean requested() {
    return requested.getCount() == 0;
  }

  /** Requests the stop, as a signal would. */
  public void request() {
    requested.countDown();
  }

  /**
   * Waits until a stop is requested or {@code timeout} passed; returns whether it was requested.
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits until a stop is requested. */
  public void await() throws InterruptedException {
    requested.await();
  }

  private boolean handle(String name) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              StopSignal.class.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "handle" -> onSignal();
                  case "hashCode" -> {
                    return System.identityHashCode(proxy);
                  }
                  case "equals" -> {
                    return proxy == args[0];
                  }
                  case "toString" -> {
                    return "StopSignal handler";
                  }
                  default -> {}
                }
                return null;
              });
      Constructor<?> signal = signalClass.getConstructor(String.class);
      Method install = signalClass.getMethod("handle", signalClass, handlerClass);
      install.invoke(null, signal.newInstance(name), handler);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private void onSignal() {
    if (requested()) {
      Runtime.getRuntime().halt(130);
    }
    request();
  }
}
