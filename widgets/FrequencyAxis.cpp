#include "widgets/FrequencyAxis.h"

#include "core/spectrum/mel.h" // the mel axis is librosa's Slaney scale: core's hzToMel / melToHz

#include <QCoreApplication>

#include <array>
#include <cmath>
#include <vector>

namespace featurescope {

namespace {

QString hzLabel(double hz) {
    if (hz >= 1000.0) return QString::number(hz / 1000.0, 'g', 3) + QStringLiteral("k");
    return QString::number(hz, 'g', 4);
}

const std::array<const char*, 12> kPitchClasses = {
    "C", "C\u266F", "D", "D\u266F", "E", "F", "F\u266F", "G", "G\u266F", "A", "A\u266F", "B"};

} // namespace

FrequencyAxis::FrequencyAxis(FrequencyScale scale, double lowHz, double highHz)
    : scale_(scale)
    , low_(lowHz)
    , high_(highHz) {}

double FrequencyAxis::toAxis(double hz) const {
    switch (scale_) {
    case FrequencyScale::Linear:
    case FrequencyScale::PitchClass:
        return hz;
    case FrequencyScale::Log:
        return hz > 0 ? std::log2(hz) : -HUGE_VAL;
    case FrequencyScale::Mel:
        return hzToMel(hz);
    }
    return hz;
}

double FrequencyAxis::toHz(double u) const {
    switch (scale_) {
    case FrequencyScale::Linear:
    case FrequencyScale::PitchClass:
        return u;
    case FrequencyScale::Log:
        return std::exp2(u);
    case FrequencyScale::Mel:
        return melToHz(u);
    }
    return u;
}

QCPRange FrequencyAxis::range() const {
    return QCPRange(toAxis(low_), toAxis(high_));
}

QSharedPointer<QCPAxisTicker> FrequencyAxis::ticker(bool noteNames) const {
    if (scale_ == FrequencyScale::Linear && !noteNames)
        return QSharedPointer<QCPAxisTicker>(new QCPAxisTicker);
    QSharedPointer<QCPAxisTickerText> text(new QCPAxisTickerText);
    if (scale_ == FrequencyScale::PitchClass) {
        // Naturals only: twelve labels do not fit a short view.
        for (int i : {0, 2, 4, 5, 7, 9, 11})
            text->addTick(i, pitchClassName(i));
        return text;
    }
    if (noteNames) {
        // Every C from C0 (16.35 Hz) up, labelled by octave.
        for (int octave = 0; octave <= 10; ++octave) {
            const double hz = 440.0 * std::exp2((12.0 * (octave + 1) - 69.0) / 12.0);
            if (hz >= low_ && hz <= high_)
                text->addTick(toAxis(hz), QStringLiteral("C%1").arg(octave));
        }
        return text;
    }
    // Few enough labels for a short view: octaves on a log axis, 0.5-1-2-4-8k on a mel axis.
    const std::vector<double> hzTicks =
        scale_ == FrequencyScale::Log
            ? std::vector<double>{32, 64, 125, 250, 500, 1000, 2000, 4000, 8000, 16000}
            : std::vector<double>{0, 500, 1000, 2000, 4000, 8000, 16000};
    for (double hz : hzTicks)
        if (hz >= low_ && hz <= high_) text->addTick(toAxis(hz), hzLabel(hz));
    return text;
}

QString FrequencyAxis::title(bool noteNames) const {
    if (scale_ == FrequencyScale::PitchClass)
        return QCoreApplication::translate("FrequencyAxis", "Pitch class");
    if (noteNames) return QCoreApplication::translate("FrequencyAxis", "Note");
    return QCoreApplication::translate("FrequencyAxis", "Frequency (Hz)");
}

QString noteName(double hz) {
    if (!(hz > 0)) return {};
    const long midi = std::lround(12.0 * std::log2(hz / 440.0) + 69.0);
    const long pitchClass = ((midi % 12) + 12) % 12;
    const long octave = (midi - pitchClass) / 12 - 1;
    return pitchClassName(static_cast<int>(pitchClass)) + QString::number(octave);
}

QString pitchClassName(int pitchClass) {
    return QString::fromUtf8(kPitchClasses[((pitchClass % 12) + 12) % 12]);
}

} // namespace featurescope
