package org.robustsam.studio.eval;

import java.util.Objects;
import org.robustsam.studio.inference.Segmenter;

/**
 * A loaded model under the name its columns carry in the report ({@code sam_vit_b}, or a
 * checkpoint file's stem). Names are unique within a run; the same checkpoint may appear twice
 * under two names (a model against itself must give identical columns).
 */
public record EvalModel(String name, Segmenter segmenter) {
    public EvalModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(segmenter, "segmenter");
    }
}
