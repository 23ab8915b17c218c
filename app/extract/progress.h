// Progress of a batch: a bar with rate and ETA on a terminal, one plain line per track otherwise.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace featurescope::extract {

class Progress {
public:
    /// `total` tracks to do; `terminal`: draw a bar on `out` (else print a line per track).
    Progress(std::size_t total, bool terminal, std::FILE* out = stderr);

    /// A track finished: written (`reason` empty) or skipped for `reason`. Thread-safe.
    void trackDone(const std::string& path, const std::string& reason, double seconds);
    /// Clears the bar.
    void finish();
    /// Seconds since construction.
    double elapsed() const;

private:
    void drawBar();

    std::size_t total_;
    std::size_t done_ = 0;
    bool terminal_;
    std::FILE* out_;
    std::chrono::steady_clock::time_point start_;
    std::mutex mutex_;
};

} // namespace featurescope::extract
