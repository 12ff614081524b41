package org.robustsam.studio.degrade;

/**
 * A closed parameter range [lo, hi] of one severity level. A parameter is {@code at(u)} for a
 * uniform draw u in [0, 1]; the same u at every level makes strength monotone in the severity
 * whenever both ends grow (or both shrink) with the level.
 */
record Range(double lo, double hi) {
    double at(double u) {
        return lo + (hi - lo) * u;
    }

    /** Level {@code severity} (1..5) of a five-level table. */
    static Range level(Range[] table, int severity) {
        return table[severity - 1];
    }
}
