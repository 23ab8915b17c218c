// The vertical axis of a spectrogram: how frequency maps to the plot's (linear) value axis, and
// the tick labels a student expects (Hz, or note names for pitch-based representations).
#pragma once

#include <QSharedPointer>
#include <QString>
#include <qcustomplot.h>

namespace featurescope {

/// How rows are laid out vertically. The default for STFT is Linear, Mel for the mel
/// spectrogram, Log for CQT; PitchClass is the chroma axis (12 rows, C at the bottom).
enum class FrequencyScale { Linear, Log, Mel, PitchClass };

/// Maps Hz to axis units and back: Linear u = f; Log u = log2(f); Mel u = mel(f) on librosa's
/// default Slaney scale (htk=False: linear below 1 kHz, logarithmic above); PitchClass u = the
/// row index. The plot's own axis stays linear in u, so every scale draws the same way.
class FrequencyAxis {
public:
    FrequencyAxis() = default;
    FrequencyAxis(FrequencyScale scale, double lowHz, double highHz);

    FrequencyScale scale() const { return scale_; }
    double toAxis(double hz) const;
    double toHz(double u) const;
    /// The visible axis range in axis units.
    QCPRange range() const;
    /// Tick labels in Hz ("500", "1k", "2k") or, with `noteNames`, at every C ("C2", "C3").
    QSharedPointer<QCPAxisTicker> ticker(bool noteNames) const;
    /// "Frequency (Hz)", "Note" or "Pitch class".
    QString title(bool noteNames) const;

private:
    FrequencyScale scale_ = FrequencyScale::Linear;
    double low_ = 0.0;
    double high_ = 11025.0;
};

/// Scientific pitch name of `hz` (A4 = 440 Hz, equal temperament), e.g. "A4", "C♯5"; empty for
/// hz <= 0. The nearest note, as librosa.hz_to_note rounds.
QString noteName(double hz);
/// Name of pitch class 0..11 (0 = C).
QString pitchClassName(int pitchClass);

} // namespace featurescope
