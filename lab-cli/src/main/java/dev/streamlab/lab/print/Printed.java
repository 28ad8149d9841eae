package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One report as a printer shows it, in both of its forms, for whoever watches beside standard
 * output (the live page of {@code run --ui}).
 *
 * @param timeMillis the batch time of the report
 * @param text what {@code --format tuple} prints: the header and the lines under it
 * @param json what {@code --format json} prints, with what the page shows beside it (the variance
 *     job's last window, say) even when the options leave it out of the printed line
 * @param last whether it is the final summary of the run
 */
public record Printed(long timeMillis, String text, ObjectNode json, boolean last) {}
