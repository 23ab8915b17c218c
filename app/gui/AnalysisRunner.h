// Runs the analysis on a worker thread and hands finished results to the GUI thread.
//
// The model is Qt's Mandelbrot example: one long-lived worker; a new request (track or setting)
// cancels the one in flight, which ends at its next stop check; only the newest request's result
// is ever delivered. The GUI keeps showing the previous result meanwhile.
#pragma once

#include "app/gui/DisplayLayers.h"
#include "core/pipeline/analysis.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

namespace featurescope {

class AnalysisRunner : public QObject {
    Q_OBJECT
public:
    explicit AnalysisRunner(QObject* parent = nullptr);
    /// Cancels any run and joins the worker.
    ~AnalysisRunner() override;

    /// Analyses `path` with `settings`, cancelling the run in flight. `previous` (may be null)
    /// lets unchanged stages be reused.
    void start(const QString& path, const AnalysisSettings& settings,
               std::shared_ptr<const Analysis> previous = nullptr);
    /// Cancels the run in flight (analysisCancelled follows).
    void cancel();
    bool isRunning() const { return running_; }

signals:
    /// A stage finished: `fraction` in [0, 1] of the run done, `stage` its name ("stft", "mel").
    void progressed(double fraction, const QString& stage);
    /// A newly opened track's waveform and STFT are ready: the first stages of the newest
    /// request, so the window can draw them at once; analysisFinished follows with the rest,
    /// reusing these stages.
    void analysisPreviewed(std::shared_ptr<const featurescope::Analysis> preview,
                           std::shared_ptr<const featurescope::DisplayLayers> layers);
    /// The newest request finished; `analysis` is immutable and may be shared freely.
    /// `layers` holds the dB images of the HPSS layers, made on the worker too.
    void analysisFinished(std::shared_ptr<const featurescope::Analysis> analysis,
                          std::shared_ptr<const featurescope::DisplayLayers> layers);
    /// The newest request failed: `path` could not be analysed for `reason`.
    void analysisFailed(const QString& path, const QString& reason);
    /// The newest request was cancelled before it finished.
    void analysisCancelled();
    /// The newly opened track `path` loaded with a warning (core/io/audio.h: a header promising
    /// more frames than the file holds), joined by "; " when several; after analysisFinished.
    void trackWarned(const QString& path, const QString& warning);

private:
    struct Request {
        std::uint64_t generation = 0;
        QString path;
        AnalysisSettings settings;
        std::shared_ptr<const Analysis> previous;
        std::stop_token stop;
    };

    void work(std::stop_token quit);
    /// Emits on the GUI thread unless a newer request came; `last` ends the request.
    void deliver(std::uint64_t generation, std::function<void()> emitSignal, bool last = true);

    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::optional<Request> pending_;
    std::stop_source current_;
    std::uint64_t generation_ = 0; // GUI thread only
    bool running_ = false;         // GUI thread only
    std::jthread worker_;
};

} // namespace featurescope
