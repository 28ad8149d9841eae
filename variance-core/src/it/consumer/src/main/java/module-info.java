/** A modular application that uses variance-core by its module name. */
module example.consumer {
  requires dev.streamlab.variance;
}
