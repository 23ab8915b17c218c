#include "metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace parity {

namespace {

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

double relativeError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& reference) {
    const double diff = (ours.cast<double>() - reference.cast<double>()).matrix().norm();
    const double norm = reference.cast<double>().matrix().norm();
    return norm > 0 ? diff / norm : diff;
}

/// Median |dB(ours) - dB(ref)|, both in dB re the reference maximum and floored at -80 dB.
double medianDbError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& reference) {
    const double ref_max = std::max(double(reference.maxCoeff()), 1e-30);
    auto db = [&](float x) {
        return std::max(20.0 * std::log10(std::max(double(x), 1e-30) / ref_max), -80.0);
    };
    std::vector<double> errors(size_t(reference.size()));
    for (Eigen::Index i = 0; i < reference.size(); ++i)
        errors[size_t(i)] = std::abs(db(ours.data()[i]) - db(reference.data()[i]));
    auto middle = errors.begin() + std::ptrdiff_t(errors.size() / 2);
    std::nth_element(errors.begin(), middle, errors.end());
    double median = *middle;
    if (errors.size() % 2 == 0) median = 0.5 * (median + *std::max_element(errors.begin(), middle));
    return median;
}

} // namespace

Verdict compare(const Comparison& comparison, const Eigen::ArrayXXf& ours,
                const Eigen::ArrayXXf& reference) {
    Verdict v;
    const double bound = comparison.bound;
    const bool same_shape = ours.rows() == reference.rows() && ours.cols() == reference.cols();
    switch (comparison.metric) {
    case Metric::MaxAbs:
        v.metric = "max_abs";
        v.bound = format("%.0e", bound);
        break;
    case Metric::Relative:
        v.metric = "rel";
        v.bound = format("%.0e", bound);
        break;
    case Metric::CqtDb:
        v.metric = "rel+dB";
        v.bound = format("%.0e", bound) + ",0.1dB";
        break;
    case Metric::TempoPct:
        v.metric = "rel_tempo";
        v.bound = format("%.3g", bound);
        break;
    case Metric::BeatFrames:
        v.metric = "beat_frames";
        v.bound = format("%.0f", bound);
        break;
    }
    if (comparison.metric == Metric::BeatFrames) {
        if (ours.size() != reference.size()) {
            v.detail = "beat count " + std::to_string(ours.size()) + " vs " +
                       std::to_string(reference.size());
            v.value = NAN;
            return v;
        }
        v.value = ours.size() ? (ours - reference).abs().maxCoeff() : 0.0;
        v.pass = v.value <= bound;
        return v;
    }
    if (!same_shape) {
        v.detail = "shape " + std::to_string(ours.rows()) + "x" + std::to_string(ours.cols()) +
                   " vs reference " + std::to_string(reference.rows()) + "x" +
                   std::to_string(reference.cols());
        v.value = NAN;
        return v;
    }
    if (!ours.isFinite().all()) {
        v.detail = "NaN or inf in our output";
        v.value = NAN;
        return v;
    }
    if (!comparison.frames.empty() && comparison.frames.size() != size_t(ours.cols())) {
        v.detail = "frame mask of " + std::to_string(comparison.frames.size()) + " for " +
                   std::to_string(ours.cols()) + " frames";
        v.value = NAN;
        return v;
    }
    switch (comparison.metric) {
    case Metric::MaxAbs:
        if (comparison.frames.empty()) {
            v.value = (ours.cast<double>() - reference.cast<double>()).abs().maxCoeff();
            break;
        }
        v.metric = "max_abs_loud";
        v.value = 0.0;
        {
            Eigen::Index compared = 0, worst = -1, over = 0;
            for (Eigen::Index t = 0; t < ours.cols(); ++t) {
                if (!comparison.frames[size_t(t)]) continue;
                ++compared;
                const double error =
                    (ours.col(t).cast<double>() - reference.col(t).cast<double>()).abs().maxCoeff();
                over += error > bound;
                if (error > v.value || worst < 0) {
                    v.value = error;
                    worst = t;
                }
            }
            v.detail = std::to_string(compared) + " of " + std::to_string(ours.cols()) +
                       " frames peak at >= 1e-6 of the input's peak";
            if (over > 0)
                v.detail += "; " + std::to_string(over) + " over the bound, the worst frame " +
                            std::to_string(worst);
        }
        break;
    case Metric::Relative:
        v.value = relativeError(ours, reference);
        break;
    case Metric::CqtDb: {
        v.value = relativeError(ours, reference);
        const double db = medianDbError(ours, reference);
        v.detail = "median dB error " + format("%.4f", db);
        v.pass = v.value <= bound && db <= 0.1;
        return v;
    }
    case Metric::TempoPct:
        v.value = std::abs(double(ours(0, 0)) - double(reference(0, 0))) /
                  std::max(std::abs(double(reference(0, 0))), 1e-12);
        break;
    case Metric::BeatFrames:
        break;
    }
    v.pass = v.value <= bound;
    return v;
}

} // namespace parity
