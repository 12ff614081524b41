package org.robustsam.studio.ui;

/** A line for the user: routine notices go to the status bar, problems also to the banner. */
public record UserMessage(Severity severity, String text) {
    public enum Severity { INFO, PROBLEM }

    public static UserMessage info(String text) {
        return new UserMessage(Severity.INFO, text);
    }

    public static UserMessage problem(String text) {
        return new UserMessage(Severity.PROBLEM, text);
    }

    public boolean isProblem() {
        return severity == Severity.PROBLEM;
    }
}
