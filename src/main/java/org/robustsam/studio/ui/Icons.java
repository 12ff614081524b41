package org.robustsam.studio.ui;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** Ikonli icons at the sizes the app uses, so every view draws icons the same way. */
public final class Icons {
    private Icons() {}

    public static FontIcon toolbar(Ikon ikon) {
        FontIcon icon = new FontIcon(ikon);
        icon.setIconSize(18);
        icon.getStyleClass().add("toolbar-icon");
        return icon;
    }

    public static FontIcon small(Ikon ikon) {
        FontIcon icon = new FontIcon(ikon);
        icon.setIconSize(14);
        return icon;
    }
}
