import Glibc

/// Maps a robust z (deviation in noise scales) to a score in [0, 1].
///
/// `score = 1 - 2^(-(z - quietZ) / (thresholdZ - quietZ))` above quietZ, else 0. It is
/// non-decreasing in z, 0.5 exactly at thresholdZ, and approaches 1 slowly (each
/// further `thresholdZ - quietZ` scales halves the distance to 1), so a moderate
/// deviation does not saturate and scores still rank large deviations.
struct ScoreCurve: Sendable {
    let quietZ: Double
    let halvingZ: Double

    init(quietZ: Double, thresholdZ: Double) {
        self.quietZ = quietZ
        self.halvingZ = max(thresholdZ - quietZ, 1e-9)
    }

    func score(z: Double) -> Double {
        guard z > quietZ else { return 0 }  // also maps NaN to 0
        let s = 1 - exp2(-(z - quietZ) / halvingZ)
        return min(max(s, 0), 1)
    }
}
