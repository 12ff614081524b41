package org.robustsam.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.robustsam.studio.eval.EvalTable;
import org.robustsam.studio.model.sam.RandomSam;
import org.robustsam.studio.model.sam.SamConfig;
import org.robustsam.studio.testutil.SharedData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The evaluation dialog runs the same evaluation as {@code studio eval} and shows its table and chart. */
@ExtendWith(ApplicationExtension.class)
class EvalDialogFxTest {
    @TempDir
    static Path tmp;

    static Path data;
    static Path model;

    private EvalDialogModel vm;

    @BeforeAll
    static void prepare() throws Exception {
        Path shared = SharedData.labelmeFolder();
        data = Files.createDirectories(tmp.resolve("data"));
        for (String n : List.of("2011_000003.jpg", "2011_000003.json")) {
            Files.copy(shared.resolve(n), data.resolve(n));
        }
        model = tmp.resolve("tiny.safetensors");
        RandomSam.write(SamConfig.TINY, 5, model);
    }

    @Start
    void start(Stage stage) {
        vm = new EvalDialogModel();
        vm.datasetProperty().set(data.toString());
        vm.modelsProperty().set(model.toString());
        vm.degradations().setAll("brightness");
        vm.pointPromptsProperty().set(false);
        vm.severityProperty().set(1);
        vm.outProperty().set(tmp.resolve("report").toString());
        stage.setScene(new Scene(new EvalDialog(vm), 1100, 750));
        stage.show();
    }

    @Test
    void aRunShowsProgressThenTheTableAndTheChart(FxRobot robot) throws Exception {
        robot.clickOn("#evalRun");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> vm.outcomeProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1.0, vm.progressProperty().get(), 1e-9);
        String status = robot.lookup("#evalStatus").queryAs(Label.class).getText();
        assertTrue(status.startsWith("done: 6 cases (6 computed, 0 reused)"), status);

        TableView<EvalTable.Row> table = robot.lookup("#evalTable-box").query();
        assertEquals(List.of("Brightness", "Clean", EvalTable.AVERAGE_TITLE), table.getItems().stream().map(EvalTable.Row::title).toList());
        assertEquals(2 + 1, table.getColumns().size(), "degradation, n, one model group");
        assertEquals(4, table.getColumns().get(2).getColumns().size(), "IoU, Dice, Acc, BF");
        BarChart<String, Number> chart = robot.lookup("#evalChart-box").query();
        assertEquals(1, chart.getData().size());
        assertEquals(3, chart.getData().get(0).getData().size());
        assertTrue(Files.isRegularFile(tmp.resolve("report").resolve("table.html")));
        assertTrue(vm.log().stream().anyMatch(l -> l.contains("ignored region")), "skipped items are logged: " + vm.log());

        // Run again: everything is reused from cases.csv.
        var first = vm.outcomeProperty().get();
        robot.clickOn("#evalRun");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.outcomeProperty().get() != null && vm.outcomeProperty().get() != first);
        assertEquals(6, vm.outcomeProperty().get().result().reused());
    }
}
