// The stacked views of one track on a shared time axis, with the crop window over all of them.
// It holds and arranges views; what they show is set from outside (app/), never computed here.
#pragma once

#include "widgets/SpectrogramView.h"

#include <QMap>
#include <QWidget>

class QSplitter;

namespace featurescope {

class CropWindow;
class FeatureCurveView;
class OnsetView;
class TimeAxisLink;
class WaveformView;

/// Every view the stack can show, top to bottom.
enum class ViewKind { Waveform, Stft, Mel, Cqt, Chroma, Harmonic, Percussive, Curves, Onsets };

class ViewStack : public QWidget {
    Q_OBJECT
public:
    explicit ViewStack(QWidget* parent = nullptr);

    WaveformView* waveform() const { return waveform_; }
    SpectrogramView* spectrogram(Representation r) const { return spectrograms_.value(r); }
    FeatureCurveView* curves() const { return curves_; }
    OnsetView* onsets() const { return onsets_; }
    TimeView* view(ViewKind kind) const;
    QList<ViewKind> allKinds() const;
    static QString title(ViewKind kind);
    static QString key(ViewKind kind); ///< "waveform", "stft", "mel", ... for settings

    /// Shows or hides one view; the bottom visible view carries the time axis label.
    void setViewVisible(ViewKind kind, bool visible);
    bool isViewVisible(ViewKind kind) const;

    TimeAxisLink* link() const { return link_; }
    CropWindow* crop() const { return crop_; }
    QSplitter* splitter() const { return splitter_; }

    void setColorMap(ColorMapName name);
    /// Linear / log / mel frequency axis of the STFT, harmonic and percussive views.
    void setFrequencyScale(FrequencyScale scale);
    /// Every view redraws now.
    void replotAll();

signals:
    /// The mouse is over `time` s of some view; `readout` describes the point.
    void pointerMoved(double time, const QString& readout);
    void pointerLeft();

private:
    void addView(ViewKind kind, TimeView* view);
    void updateTimeLabel();

    QSplitter* splitter_ = nullptr;
    TimeAxisLink* link_ = nullptr;
    CropWindow* crop_ = nullptr;
    WaveformView* waveform_ = nullptr;
    QMap<Representation, SpectrogramView*> spectrograms_;
    FeatureCurveView* curves_ = nullptr;
    OnsetView* onsets_ = nullptr;
    QMap<ViewKind, TimeView*> views_;
};

} // namespace featurescope
