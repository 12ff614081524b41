package org.robustsam.studio.ui;

import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.robustsam.studio.annotate.PhotoEntry;

/**
 * A row of the photo list. Health updates change the entry in place, so the list's selection is
 * never disturbed by a background probe finishing.
 */
public final class PhotoItem {
    private final ObjectProperty<PhotoEntry> entry;

    public PhotoItem(PhotoEntry entry) {
        this.entry = new SimpleObjectProperty<>(this, "entry", entry);
    }

    public ObjectProperty<PhotoEntry> entryProperty() {
        return entry;
    }

    public PhotoEntry entry() {
        return entry.get();
    }

    /** What the list observes so a cell repaints when its entry changes. */
    public static Observable[] observables(PhotoItem item) {
        return new Observable[] {item.entry};
    }

    @Override
    public String toString() {
        return entry.get().fileName();
    }
}
