package org.robustsam.studio.ui;

import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import org.controlsfx.control.CheckListView;
import org.robustsam.studio.annotate.project.AnnotatedObject;
import org.robustsam.studio.annotate.project.ImageStatus;

/**
 * The right-hand panel: labels (with their quick keys), the objects of the photo (tick = visible),
 * and the photo's status. A thin view over {@link AnnotationViewModel}.
 */
final class ObjectsPanel extends VBox {
    private final AnnotationViewModel model;
    private final ListView<org.robustsam.studio.annotate.project.Label> labelList = new ListView<>();
    private final CheckListView<AnnotatedObject> objectList = new CheckListView<>();
    private boolean syncing;

    ObjectsPanel(AnnotationViewModel model) {
        this.model = model;
        setSpacing(6);
        setPadding(new Insets(4));
        getStyleClass().add("objects-panel");
        labelList.setId("labelList");
        objectList.setId("objectList");

        TextField newLabel = new TextField();
        newLabel.setId("newLabelField");
        newLabel.setPromptText("New label — type, Enter");
        newLabel.setOnAction(e -> {
            model.addLabel(newLabel.getText());
            newLabel.clear();
        });
        labelList.setItems(model.labels());
        labelList.setPrefHeight(170);
        labelList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(org.robustsam.studio.annotate.project.Label item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    int i = getIndex();
                    setText((i < 9 ? (i + 1) + "  " : "   ") + item.name());
                    setGraphic(new Rectangle(12, 12, Color.web(item.color())));
                }
            }
        });
        labelList.getSelectionModel().selectedItemProperty().addListener((o, a, l) -> {
            if (!syncing && l != null) {
                model.chooseLabel(model.labels().indexOf(l));
            }
        });
        model.activeLabelProperty().addListener((o, a, name) -> selectActiveLabel());
        model.labels().addListener((ListChangeListener<org.robustsam.studio.annotate.project.Label>) c -> selectActiveLabel());

        objectList.setItems(model.objects());
        objectList.setCellFactory(l -> new javafx.scene.control.cell.CheckBoxListCell<>(objectList::getItemBooleanProperty) {
            @Override
            public void updateItem(AnnotatedObject item, boolean empty) {
                super.updateItem(item, empty);
                if (!empty && item != null) {
                    setText("#" + item.id() + "  " + item.label()
                            + (item.score() == null ? "" : String.format("  %.2f", item.score())));
                    setTextFill(Color.web(model.labelOf(item).color()).brighter());
                }
            }
        });
        model.objects().addListener((ListChangeListener<AnnotatedObject>) c -> syncChecks());
        model.hiddenIds().addListener((ListChangeListener<Long>) c -> syncChecks());
        objectList.getCheckModel().getCheckedItems().addListener((ListChangeListener<AnnotatedObject>) c -> {
            if (syncing) {
                return;
            }
            for (AnnotatedObject o : model.objects()) {
                boolean checked = objectList.getCheckModel().isChecked(o);
                if (checked != model.isVisible(o)) {
                    model.toggleVisible(o);
                }
            }
        });
        ChangeListener<AnnotatedObject> fromList = (o, a, sel) -> {
            if (!syncing) {
                model.selectedObjectProperty().set(sel);
            }
        };
        objectList.getSelectionModel().selectedItemProperty().addListener(fromList);
        model.selectedObjectProperty().addListener((o, a, sel) -> {
            syncing = true;
            try {
                if (sel == null) {
                    objectList.getSelectionModel().clearSelection();
                } else {
                    objectList.getSelectionModel().select(sel);
                }
            } finally {
                syncing = false;
            }
        });

        ToggleGroup status = new ToggleGroup();
        HBox statusBox = new HBox(4);
        for (ImageStatus s : ImageStatus.values()) {
            ToggleButton b = new ToggleButton(s.name().toLowerCase());
            b.setId("status-" + s.name().toLowerCase());
            b.setToggleGroup(status);
            b.setUserData(s);
            b.setOnAction(e -> {
                model.setStatus(s);
                b.setSelected(model.imageStatusProperty().get() == s);
            });
            statusBox.getChildren().add(b);
        }
        model.imageStatusProperty().addListener((o, a, s) -> status.getToggles()
                .forEach(t -> t.setSelected(t.getUserData() == s)));

        VBox.setVgrow(objectList, Priority.ALWAYS);
        getChildren().addAll(new Label("Labels (keys 1–9)"), labelList, newLabel,
                new Label("Objects (tick = visible, Del removes)"), objectList, new Label("Photo status"), statusBox);
    }

    private void selectActiveLabel() {
        syncing = true;
        try {
            String name = model.activeLabelProperty().get();
            model.labels().stream().filter(l -> l.name().equals(name)).findFirst()
                    .ifPresentOrElse(l -> labelList.getSelectionModel().select(l), () -> labelList.getSelectionModel().clearSelection());
        } finally {
            syncing = false;
        }
    }

    private void syncChecks() {
        syncing = true;
        try {
            for (AnnotatedObject o : model.objects()) {
                if (model.isVisible(o)) {
                    objectList.getCheckModel().check(o);
                } else {
                    objectList.getCheckModel().clearCheck(o);
                }
            }
        } finally {
            syncing = false;
        }
    }
}
