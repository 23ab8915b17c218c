#include "widgets/ViewStack.h"

#include "widgets/CropWindow.h"
#include "widgets/FeatureCurveView.h"
#include "widgets/OnsetView.h"
#include "widgets/TimeAxisLink.h"
#include "widgets/WaveformView.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace featurescope {

namespace {

Representation representationOf(ViewKind kind) {
    switch (kind) {
    case ViewKind::Mel:
        return Representation::Mel;
    case ViewKind::Cqt:
        return Representation::Cqt;
    case ViewKind::Chroma:
        return Representation::Chroma;
    case ViewKind::Harmonic:
        return Representation::Harmonic;
    case ViewKind::Percussive:
        return Representation::Percussive;
    default:
        return Representation::Stft;
    }
}

} // namespace

ViewStack::ViewStack(QWidget* parent)
    : QWidget(parent) {
    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter_);
    link_ = new TimeAxisLink(this);
    crop_ = new CropWindow(this);

    waveform_ = new WaveformView;
    addView(ViewKind::Waveform, waveform_);
    for (ViewKind kind : {ViewKind::Stft, ViewKind::Mel, ViewKind::Cqt, ViewKind::Chroma,
                          ViewKind::Harmonic, ViewKind::Percussive}) {
        auto* view = new SpectrogramView(representationOf(kind));
        spectrograms_.insert(representationOf(kind), view);
        addView(kind, view);
    }
    curves_ = new FeatureCurveView;
    addView(ViewKind::Curves, curves_);
    onsets_ = new OnsetView;
    addView(ViewKind::Onsets, onsets_);
    updateTimeLabel();
}

void ViewStack::addView(ViewKind kind, TimeView* view) {
    views_.insert(kind, view);
    splitter_->addWidget(view);
    splitter_->setStretchFactor(splitter_->count() - 1, kind == ViewKind::Waveform ? 1 : 2);
    if (kind != ViewKind::Curves && kind != ViewKind::Onsets) view->setTitle(title(kind));
    link_->addView(view);
    crop_->attach(view);
    connect(view, &TimeView::pointerMoved, this, [this](double t, const QString& text) {
        link_->setCrosshair(t);
        emit pointerMoved(t, text);
    });
    connect(view, &TimeView::pointerLeft, this, [this] {
        link_->setCrosshair(-1);
        emit pointerLeft();
    });
}

TimeView* ViewStack::view(ViewKind kind) const {
    return views_.value(kind);
}

QList<ViewKind> ViewStack::allKinds() const {
    return views_.keys();
}

QString ViewStack::title(ViewKind kind) {
    switch (kind) {
    case ViewKind::Waveform:
        return tr("Waveform");
    case ViewKind::Stft:
        return tr("STFT (dB)");
    case ViewKind::Mel:
        return tr("Mel spectrogram (dB)");
    case ViewKind::Cqt:
        return tr("CQT (dB)");
    case ViewKind::Chroma:
        return tr("Chroma (CQT, harmonic)");
    case ViewKind::Harmonic:
        return tr("Harmonic layer (dB)");
    case ViewKind::Percussive:
        return tr("Percussive layer (dB)");
    case ViewKind::Curves:
        return tr("Feature curves");
    case ViewKind::Onsets:
        return tr("Onsets and beats");
    }
    return {};
}

QString ViewStack::key(ViewKind kind) {
    static const char* keys[] = {"waveform", "stft",       "mel",    "cqt",   "chroma",
                                 "harmonic", "percussive", "curves", "onsets"};
    return QString::fromLatin1(keys[static_cast<int>(kind)]);
}

void ViewStack::setViewVisible(ViewKind kind, bool visible) {
    if (TimeView* v = view(kind)) v->setVisible(visible);
    updateTimeLabel();
}

bool ViewStack::isViewVisible(ViewKind kind) const {
    TimeView* v = view(kind);
    return v && !v->isHidden();
}

void ViewStack::updateTimeLabel() {
    TimeView* last = nullptr;
    for (ViewKind kind : views_.keys()) {
        TimeView* v = views_.value(kind);
        v->setTimeLabelVisible(false);
        if (!v->isHidden()) last = v;
    }
    if (last) last->setTimeLabelVisible(true);
    replotAll();
}

void ViewStack::setColorMap(ColorMapName name) {
    for (SpectrogramView* v : spectrograms_)
        v->setColorMap(name);
}

void ViewStack::setFrequencyScale(FrequencyScale scale) {
    for (SpectrogramView* v : spectrograms_)
        v->setFrequencyScale(scale);
}

void ViewStack::replotAll() {
    for (TimeView* v : views_)
        v->replot();
}

} // namespace featurescope
