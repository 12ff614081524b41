package org.robustsam.studio.train;

/**
 * One step's loss terms as numbers: the weighted total and the unweighted terms (focal and dice
 * against the ground truth, token and mask-feature consistency with the teacher, focal and dice
 * against the teacher's clean-image masks).
 */
public record LossValues(double total, double focal, double dice, double token, double embedding,
        double teacherFocal, double teacherDice) {
    /** The batch mean of several samples' values. */
    public static LossValues mean(java.util.List<LossValues> all) {
        double[] sum = new double[7];
        for (LossValues v : all) {
            double[] x = {v.total, v.focal, v.dice, v.token, v.embedding, v.teacherFocal, v.teacherDice};
            for (int i = 0; i < sum.length; i++) {
                sum[i] += x[i];
            }
        }
        int n = Math.max(1, all.size());
        return new LossValues(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n, sum[6] / n);
    }
}
