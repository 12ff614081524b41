package org.robustsam.studio.ui;

import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.robustsam.studio.annotate.PhotoEntry;

/**
 * A photo row: its name, an image icon (a warning icon with the problem as tooltip when broken),
 * and the advisor's quality badge once the photo has been assessed.
 */
final class PhotoListCell extends ListCell<PhotoItem> {
    @Override
    protected void updateItem(PhotoItem item, boolean empty) {
        super.updateItem(item, empty);
        getStyleClass().remove("broken-photo");
        if (empty || item == null) {
            setText(null);
            setGraphic(null);
            setTooltip(null);
            return;
        }
        PhotoEntry entry = item.entry();
        setText(entry.fileName());
        if (entry.health() == PhotoEntry.Health.BROKEN) {
            FontIcon warning = Icons.small(MaterialDesignA.ALERT);
            warning.getStyleClass().add("warning-icon");
            setGraphic(warning);
            setTooltip(new Tooltip(entry.problem()));
            getStyleClass().add("broken-photo");
        } else {
            var icon = Icons.small(MaterialDesignI.IMAGE_OUTLINE);
            setGraphic(item.quality() == null ? icon : new javafx.scene.layout.HBox(4, icon, new QualityBadge(item.quality())));
            String size = entry.header() == null ? null
                    : entry.header().width() + " × " + entry.header().height() + " " + entry.header().format();
            String quality = item.quality() == null ? null : item.quality().summary();
            setTooltip(size == null && quality == null ? null
                    : new Tooltip(size == null ? quality : quality == null ? size : size + "\n" + quality));
        }
    }
}
