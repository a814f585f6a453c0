package dev.imagevision.report;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The crop windows an override will give, before any pixel is cut: the same geometry the crop
 * stage uses, over the source's oriented size read from its header.
 */
final class CropPreview {
    private CropPreview() {}

    static Map<String, CropWindow.Fraction> windows(Path source, FocalPoint focal, SubjectBox box, List<CropSpec> specs)
            throws ImageException {
        ImageHeader header = ImageHeader.read(source);
        return windows(header.orientedWidth(), header.orientedHeight(), focal, box, specs);
    }

    static Map<String, CropWindow.Fraction> windows(int width, int height, FocalPoint focal, SubjectBox box,
                                                    List<CropSpec> specs) {
        List<CropWindow> windows = VariantCutter.windows(width, height, focal == null ? FocalPoint.CENTRE : focal, box, specs);
        Map<String, CropWindow.Fraction> out = new TreeMap<>();
        for (int i = 0; i < specs.size(); i++) out.put(specs.get(i).id(), windows.get(i).asFraction(width, height));
        return out;
    }
}
