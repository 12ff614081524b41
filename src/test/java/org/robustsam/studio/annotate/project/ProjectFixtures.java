package org.robustsam.studio.annotate.project;

import java.util.List;
import org.robustsam.studio.annotate.mask.BinaryMask;
import org.robustsam.studio.annotate.mask.CocoRle;

/** Small projects built in code for the project, edit and format tests. */
public final class ProjectFixtures {
    private ProjectFixtures() {}

    /** A w x h mask with the rectangle [x0, x1) x [y0, y1) set. */
    public static CocoRle rect(int w, int h, int x0, int y0, int x1, int y1) {
        BinaryMask m = new BinaryMask(w, h);
        for (int y = y0; y < y1; y++) {
            m.fillRow(y, x0, x1, true);
        }
        return CocoRle.encode(m);
    }

    /**
     * Two labels (cat, dog), two images: a.jpg 40x30 with a cat (predicted, with prompts) and a dog,
     * sub/b.png 20x10 with one cat; a.jpg is done.
     */
    public static Project twoImages(java.nio.file.Path folder) {
        Project p = Project.create(folder);
        p.insertLabel(0, new Label("cat", "#800000"));
        p.insertLabel(1, new Label("dog", "#008000"));
        p.addImage("a.jpg", 40, 30);
        p.addImage("sub/b.png", 20, 10);
        Prompts prompts = new Prompts(List.of(new Prompts.Point(5, 6, true), new Prompts.Point(9, 9, false)),
                new Prompts.Box(2, 3, 12, 14));
        p.insertObject("a.jpg", 0, new AnnotatedObject(p.allocateObjectId(), "cat", rect(40, 30, 2, 3, 12, 14), prompts,
                "robustsam_vit_b", 0.93));
        p.insertObject("a.jpg", 1, AnnotatedObject.manual(p.allocateObjectId(), "dog", rect(40, 30, 20, 5, 35, 25)));
        p.insertObject("sub/b.png", 0, AnnotatedObject.manual(p.allocateObjectId(), "cat", rect(20, 10, 0, 0, 5, 5)));
        p.setStatus("a.jpg", ImageStatus.DONE);
        return p;
    }
}
