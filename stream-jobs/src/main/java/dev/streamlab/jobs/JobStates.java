package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.StateCodec;
import dev.streamlab.jobs.kafka.StateCodecs;
import dev.streamlab.variance.Tally;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How each job's own state is written in its state file (docs/architecture.md, "The state file"),
 * and the codecs of this build: every kind it writes and reads back.
 */
public final class JobStates {

  /**
   * The variance job's {@link VarianceState}: the batches a window covers (an int), the cumulative
   * tally, then the count of recent batches (an int) and their tallies, oldest first, each as
   * {@link StateCodec#TALLY} writes it.
   */
  static final StateCodec<VarianceState> VARIANCE =
      new StateCodec<>("variance", VarianceState.class) {
        @Override
        protected void write(VarianceState state, DataOutput out) throws IOException {
          out.writeInt(state.windowBatches());
          StateCodec.TALLY.writeTo(state.total(), out);
          out.writeInt(state.recentBatches().size());
          for (Tally batch : state.recentBatches()) {
            StateCodec.TALLY.writeTo(batch, out);
          }
        }

        @Override
        protected VarianceState read(DataInput in) throws IOException {
          int windowBatches = in.readInt();
          Tally total = StateCodec.TALLY.readFrom(in);
          int recent = count(in);
          List<Tally> batches = new ArrayList<>(recent);
          for (int i = 0; i < recent; i++) {
            batches.add(StateCodec.TALLY.readFrom(in));
          }
          return new VarianceState(total, batches, windowBatches);
        }
      };

  /**
   * The word-count job's {@link WordCountState}: the count of words (an int), then each word in
   * UTF-8 order of its text (an int length, its UTF-8 bytes) and its count (a long).
   */
  static final StateCodec<WordCountState> WORD_COUNT =
      new StateCodec<>("word-count", WordCountState.class) {
        @Override
        protected void write(WordCountState state, DataOutput out) throws IOException {
          out.writeInt(state.counts().size());
          for (Map.Entry<String, Long> word : new TreeMap<>(state.counts()).entrySet()) {
            writeBytes(word.getKey().getBytes(StandardCharsets.UTF_8), out);
            out.writeLong(word.getValue());
          }
        }

        @Override
        protected WordCountState read(DataInput in) throws IOException {
          int words = count(in);
          Map<String, Long> counts = new HashMap<>(words * 2);
          for (int i = 0; i < words; i++) {
            counts.put(new String(readBytes(in), StandardCharsets.UTF_8), in.readLong());
          }
          return new WordCountState(counts);
        }
      };

  /**
   * The window-count job's {@link WindowCountState}: the batches a window covers (an int), the
   * count of batches kept (an int), then each batch's time, lines and venues (three longs), oldest
   * first.
   */
  static final StateCodec<WindowCountState> WINDOW_COUNT =
      new StateCodec<>("window-count", WindowCountState.class) {
        @Override
        protected void write(WindowCountState state, DataOutput out) throws IOException {
          out.writeInt(state.windowBatches());
          out.writeInt(state.batches().size());
          for (WindowCountReport.BatchCount batch : state.batches()) {
            out.writeLong(batch.timeMillis());
            out.writeLong(batch.lines());
            out.writeLong(batch.venues());
          }
        }

        @Override
        protected WindowCountState read(DataInput in) throws IOException {
          int windowBatches = in.readInt();
          int kept = count(in);
          List<WindowCountReport.BatchCount> batches = new ArrayList<>(kept);
          for (int i = 0; i < kept; i++) {
            batches.add(
                new WindowCountReport.BatchCount(in.readLong(), in.readLong(), in.readLong()));
          }
          return new WindowCountState(batches, windowBatches);
        }
      };

  /** Every kind of state this build writes and reads back. */
  public static final StateCodecs CODECS = StateCodecs.of(VARIANCE, WORD_COUNT, WINDOW_COUNT);

  private JobStates() {}
}
