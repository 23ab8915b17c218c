#include "app/gui/TrackAnalysis.h"

#include "core/audio.h"
#include "core/decibel.h"
#include "core/stft.h"

namespace featurescope {

std::shared_ptr<const TrackAnalysis> analyzeTrack(const std::filesystem::path& path,
                                                  const TrackSettings& settings,
                                                  const ProgressCallback& progress,
                                                  std::stop_token stop,
                                                  std::shared_ptr<const TrackAnalysis>) {
    auto out = std::make_shared<TrackAnalysis>();
    out->path = path;
    out->settings = settings;
    LoadOptions load_options;
    load_options.sr = settings.sr;
    auto y = std::make_shared<Eigen::ArrayXf>(load(path, load_options).mono());
    if (stop.stop_requested()) throw AnalysisCancelled();
    if (progress) progress(0.3, "load");
    StftParams stft_params;
    stft_params.n_fft = settings.n_fft;
    stft_params.hop_length = settings.hop_length;
    AmplitudeToDbParams db;
    db.ref = DbRef::max();
    db.top_db = settings.top_db;
    auto stft_db =
        std::make_shared<Eigen::ArrayXXf>(amplitudeToDb(stftMagnitude(*y, stft_params), db));
    if (stop.stop_requested()) throw AnalysisCancelled();
    if (progress) progress(1.0, "stft");
    out->y = std::move(y);
    out->stftDb = std::move(stft_db);
    return out;
}

} // namespace featurescope
