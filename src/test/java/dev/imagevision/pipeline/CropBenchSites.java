package dev.imagevision.pipeline;

import java.io.IOException;
import java.nio.file.Path;

/** Test sites for the crop benchmark: the sample site, scored once by the offline provider. */
public final class CropBenchSites {
    private CropBenchSites() {}

    public static void scoredCopyOfSample(Path root) throws IOException {
        dev.imagevision.testing.SampleSite.copyTree(Path.of("sample-site"), root);
        CroppingPipelineTest.run(root, CroppingPipelineTest.local(), true, false, true, false);
    }
}
