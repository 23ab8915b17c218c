#include "app/gui/AnalysisPresenter.h"

#include "core/spectrum/cqt_filters.h"
#include "core/spectrum/mel.h"
#include "core/spectrum/stft.h"
#include "widgets/CropWindow.h"
#include "widgets/FeatureCurveView.h"
#include "widgets/OnsetView.h"
#include "widgets/TimeAxisLink.h"
#include "widgets/ViewStack.h"
#include "widgets/WaveformView.h"

namespace featurescope {

namespace {

// A view of a member of the (immutable, shared) Analysis that keeps the Analysis alive.
template <typename T>
std::shared_ptr<const T> share(const std::shared_ptr<const void>& owner, const T& member) {
    return std::shared_ptr<const T>(owner, &member);
}

std::vector<double> toVector(const Eigen::ArrayXd& a) {
    return std::vector<double>(a.data(), a.data() + a.size());
}

SpectrogramData spectrogram(const std::shared_ptr<const void>& owner, const Eigen::ArrayXXf& m,
                            std::vector<double> rowHz, const Analysis& a) {
    SpectrogramData data;
    if (m.size() > 0) data.values = share(owner, m);
    data.rowHz = std::move(rowHz);
    data.sr = a.sr();
    data.hop_length = a.settings().hop_length;
    return data;
}

} // namespace

QStringList defaultCurves() {
    return {QStringLiteral("spectral_centroid"), QStringLiteral("rms"),
            QStringLiteral("zero_crossing_rate")};
}

void presentAnalysis(ViewStack& stack, const std::shared_ptr<const Analysis>& analysis,
                     const std::shared_ptr<const DisplayLayers>& layers) {
    const Analysis& a = *analysis;
    const AnalysisSettings& s = a.settings();
    stack.waveform()->setSignal(share(analysis, a.y()), a.sr(),
                                share(layers, layers->waveformEnvelope),
                                DisplayLayers::kEnvelopeBlock);

    const std::vector<double> fftHz = toVector(fftFrequencies(a.sr(), s.n_fft));
    stack.spectrogram(Representation::Stft)->setData(spectrogram(analysis, a.stftDb(), fftHz, a));

    // librosa draws mel band k at the centre of its triangle: mel_frequencies(n_mels + 2)[1:-1].
    const Eigen::ArrayXd melEdges =
        melFrequencies(s.n_mels + 2, s.mel_fmin, s.mel_fmax.value_or(a.sr() / 2), s.htk);
    stack.spectrogram(Representation::Mel)
        ->setData(spectrogram(analysis, a.melDb(), toVector(melEdges.segment(1, s.n_mels)), a));

    stack.spectrogram(Representation::Cqt)
        ->setData(spectrogram(analysis, a.cqtDb(),
                              toVector(cqtFrequencies(s.n_bins, s.fmin, s.bins_per_octave)), a));

    const Eigen::ArrayXXf& chroma = a.chromaCqt().size() > 0 ? a.chromaCqt() : a.chroma();
    SpectrogramData chromaData = spectrogram(analysis, chroma, {}, a);
    chromaData.valueRange = QCPRange(0.0, 1.0);
    chromaData.unit = QString();
    stack.spectrogram(Representation::Chroma)->setData(chromaData);

    stack.spectrogram(Representation::Harmonic)
        ->setData(spectrogram(layers, layers->harmonicDb, fftHz, a));
    stack.spectrogram(Representation::Percussive)
        ->setData(spectrogram(layers, layers->percussiveDb, fftHz, a));

    const FeatureCurves& curves = a.curves();
    QStringList names;
    for (const std::string& n : curves.names)
        names.append(QString::fromStdString(n));
    FeatureCurveView* curveView = stack.curves();
    const QStringList shown = curveView->shown().isEmpty() ? defaultCurves() : curveView->shown();
    curveView->setCurves(names, share(analysis, curves.values), a.sr(), s.hop_length);
    curveView->setShown(shown);

    stack.onsets()->setOnsets(share(analysis, a.onsetEnvelope()), share(analysis, a.beats()),
                              a.tempo(), a.sr(), s.hop_length);

    stack.crop()->setTrackDuration(a.duration());
    stack.link()->setRange(QCPRange(0, a.duration()));
    stack.replotAll();
}

} // namespace featurescope
