package org.robustsam.studio.ui;

import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.robustsam.studio.annotate.PhotoEntry;
import org.robustsam.studio.assess.QualityReport;

/**
 * A row of the photo list. Health and quality updates change the item in place, so the list's
 * selection is never disturbed by a background probe or assessment finishing.
 */
public final class PhotoItem {
    private final ObjectProperty<PhotoEntry> entry;
    /** The degradation advisor's verdict on the photo; null until assessed (or when unreadable). */
    private final ObjectProperty<QualityReport> quality = new SimpleObjectProperty<>(this, "quality");

    public PhotoItem(PhotoEntry entry) {
        this.entry = new SimpleObjectProperty<>(this, "entry", entry);
    }

    public ObjectProperty<QualityReport> qualityProperty() {
        return quality;
    }

    public QualityReport quality() {
        return quality.get();
    }

    public ObjectProperty<PhotoEntry> entryProperty() {
        return entry;
    }

    public PhotoEntry entry() {
        return entry.get();
    }

    /** What the list observes so a cell repaints when its entry or quality changes. */
    public static Observable[] observables(PhotoItem item) {
        return new Observable[] {item.entry, item.quality};
    }

    @Override
    public String toString() {
        return entry.get().fileName();
    }
}
