package org.robustsam.studio.hardening;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.robustsam.studio.hardening.HardeningCase.Action;
import org.robustsam.studio.hardening.HardeningCase.EntryPoint;
import org.robustsam.studio.hardening.HardeningCase.Expect;

/** Collects the cases of one entry point, with its error types and time limit as defaults. */
final class CaseList {
    private final EntryPoint entry;
    private final Set<Class<? extends Exception>> clearErrors;
    private Duration timeout;
    private final List<HardeningCase> cases = new ArrayList<>();

    CaseList(EntryPoint entry, Duration timeout, Set<Class<? extends Exception>> clearErrors) {
        this.entry = entry;
        this.timeout = timeout;
        this.clearErrors = clearErrors;
    }

    /** Cases added from now on get this time limit. */
    CaseList timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    /** Must be refused with a message naming {@code subject}. */
    CaseList rejects(String name, Path subject, List<Path> userFiles, Action action) {
        return rejects(name, subject, null, userFiles, action);
    }

    /** Must be refused with a message naming {@code subject} and containing {@code mustSay}. */
    CaseList rejects(String name, Path subject, String mustSay, List<Path> userFiles, Action action) {
        cases.add(new HardeningCase(entry, name, Expect.REJECTED_WITH_MESSAGE, subject, mustSay, userFiles, action, timeout,
                clearErrors));
        return this;
    }

    /** Must be accepted; {@code action} checks that the result is right. */
    CaseList handles(String name, List<Path> userFiles, Action action) {
        cases.add(new HardeningCase(entry, name, Expect.HANDLED, null, null, userFiles, action, timeout, clearErrors));
        return this;
    }

    List<HardeningCase> cases() {
        return List.copyOf(cases);
    }
}
