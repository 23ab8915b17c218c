#include "app/gui/AnalysisRunner.h"

#include "core/io/audio.h"

#include <QMetaObject>
#include <QStringList>

#include <exception>

namespace featurescope {

AnalysisRunner::AnalysisRunner(QObject* parent)
    : QObject(parent) {
    worker_ = std::jthread([this](std::stop_token quit) { work(quit); });
}

AnalysisRunner::~AnalysisRunner() {
    current_.request_stop();
    worker_.request_stop();
    wake_.notify_all();
    worker_.join();
}

void AnalysisRunner::start(const QString& path, const AnalysisSettings& settings,
                           std::shared_ptr<const Analysis> previous) {
    current_.request_stop();
    current_ = std::stop_source();
    running_ = true;
    {
        std::lock_guard lock(mutex_);
        pending_ =
            Request{++generation_, path, settings, std::move(previous), current_.get_token()};
    }
    wake_.notify_all();
}

void AnalysisRunner::cancel() {
    if (!running_) return;
    current_.request_stop();
    {
        std::lock_guard lock(mutex_);
        pending_.reset();
    }
    ++generation_; // whatever the worker delivers now is stale
    running_ = false;
    emit analysisCancelled();
}

void AnalysisRunner::deliver(std::uint64_t generation, std::function<void()> emitSignal,
                             bool last) {
    // Runs on the GUI thread: a result of an older request is dropped.
    QMetaObject::invokeMethod(
        this,
        [this, generation, last, emitSignal = std::move(emitSignal)] {
            if (generation != generation_) return;
            if (last) running_ = false;
            emitSignal();
        },
        Qt::QueuedConnection);
}

namespace {
QString loadWarningText(const QString& path) {
    QStringList warnings;
    for (const std::string& warning : loadWarnings(path.toStdString()))
        warnings << QString::fromStdString(warning);
    return warnings.join(QStringLiteral("; "));
}

/// What a new track shows first: decode, STFT and its dB image, nothing else.
AnalysisSettings previewSettings(AnalysisSettings settings) {
    settings.features = FeatureSelection::none();
    settings.features.views = true;
    return settings;
}
} // namespace

void AnalysisRunner::work(std::stop_token quit) {
    while (!quit.stop_requested()) {
        Request request;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, quit, [this] { return pending_.has_value(); });
            if (quit.stop_requested()) return;
            request = std::move(*pending_);
            pending_.reset();
        }
        const std::uint64_t generation = request.generation;
        auto progress = [this, generation](double fraction, std::string_view stage) {
            const QString name = QString::fromUtf8(stage.data(), qsizetype(stage.size()));
            QMetaObject::invokeMethod(
                this,
                [this, generation, fraction, name] {
                    if (generation == generation_) emit progressed(fraction, name);
                },
                Qt::QueuedConnection);
        };
        try {
            std::shared_ptr<const Analysis> previous = request.previous;
            if (!previous) {
                // A new track: draw its spectrogram as soon as it exists (a few hundred ms for
                // a 3-minute mp3) instead of after every feature; the full run reuses it.
                previous = runAnalysis(request.path.toStdString(),
                                       previewSettings(request.settings), {}, request.stop);
                std::shared_ptr<const DisplayLayers> layers = makeDisplayLayers(*previous);
                if (request.stop.stop_requested()) continue;
                deliver(
                    generation,
                    [this, previous, layers] { emit analysisPreviewed(previous, layers); }, false);
            }
            std::shared_ptr<const Analysis> result = runAnalysis(
                request.path.toStdString(), request.settings, progress, request.stop, previous);
            std::shared_ptr<const DisplayLayers> layers = makeDisplayLayers(*result);
            if (request.stop.stop_requested()) continue;
            deliver(generation, [this, result, layers] { emit analysisFinished(result, layers); });
            if (!request.previous) // a new track: its preview decoded it just now
                if (const QString warning = loadWarningText(request.path); !warning.isEmpty())
                    deliver(generation, [this, path = request.path, warning] {
                        emit trackWarned(path, warning);
                    });
        } catch (const AnalysisCancelled&) {
            // A newer request (or cancel) superseded this one; nothing to deliver.
        } catch (const std::exception& error) {
            const QString path = request.path;
            const QString reason = QString::fromUtf8(error.what());
            deliver(generation, [this, path, reason] { emit analysisFailed(path, reason); });
        }
    }
}

} // namespace featurescope
