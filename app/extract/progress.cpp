#include "app/extract/progress.h"

#include <algorithm>

namespace featurescope::extract {

Progress::Progress(std::size_t total, bool terminal, std::FILE* out)
    : total_(total)
    , terminal_(terminal)
    , out_(out)
    , start_(std::chrono::steady_clock::now()) {
    if (terminal_ && total_ > 0) drawBar();
}

double Progress::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::trackDone(const std::string& path, const std::string& reason, double seconds) {
    std::lock_guard lock(mutex_);
    ++done_;
    if (terminal_) {
        // Problems stay on screen above the bar; successes only move the bar.
        if (!reason.empty())
            std::fprintf(out_, "\r\033[Kskipped %s: %s\n", path.c_str(), reason.c_str());
        drawBar();
    } else if (reason.empty()) {
        std::fprintf(out_, "[%zu/%zu] ok %s (%.2f s)\n", done_, total_, path.c_str(), seconds);
    } else {
        std::fprintf(out_, "[%zu/%zu] skipped %s: %s\n", done_, total_, path.c_str(),
                     reason.c_str());
    }
    std::fflush(out_);
}

void Progress::drawBar() {
    constexpr int kWidth = 30;
    const double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    const int filled = static_cast<int>(fraction * kWidth);
    const double seconds = elapsed();
    const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(out_, "\r\033[K[%s] %zu/%zu  %.1f files/s  ETA %d:%02d", bar.c_str(), done_,
                 total_, rate, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    std::fflush(out_);
}

void Progress::finish() {
    std::lock_guard lock(mutex_);
    if (terminal_) std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
}

} // namespace featurescope::extract
