package dev.imagevision.pipeline;

/** Where the pipeline reports how far a stage has got; the CLI draws a bar, tests pass {@link #NONE}. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String stage, int total) {}

        @Override
        public void step() {}

        @Override
        public void finish() {}
    };

    void start(String stage, int total);

    void step();

    void finish();
}
