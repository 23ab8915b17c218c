// The views' own rules, without an analysis: colour tables, pitch names, axes, the min/max
// envelope, the crop window's clamping.
#include "widgets/ColorMap.h"
#include "widgets/CropWindow.h"
#include "widgets/FrequencyAxis.h"
#include "widgets/SpectrogramView.h"
#include "widgets/TimeAxisLink.h"
#include "widgets/WaveformView.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace featurescope;

class TestGuiWidgets : public QObject {
    Q_OBJECT
private slots:
    void colorMapsAreMatplotlibsTables();
    void noteNamesFollowScientificPitch();
    void melAxisIsSlaneysScale();
    void waveformEnvelopeKeepsASingleSamplePeak();
    void spectrogramRendersOnlyAtPixelSize();
    void logAndMelAxesShowTheRightRows();
    void cropWindowStaysInsideTheTrack();
    void linkedViewsShareOneRange();
};

void TestGuiWidgets::colorMapsAreMatplotlibsTables() {
    // Published end points of matplotlib's tables (_cm_listed.py).
    auto near = [](const QColor& c, double r, double g, double b) {
        return std::abs(c.redF() - r) < 1e-3 && std::abs(c.greenF() - g) < 1e-3 &&
               std::abs(c.blueF() - b) < 1e-3;
    };
    QVERIFY(near(colorAt(ColorMapName::Magma, 0.0), 0.001462, 0.000466, 0.013866));
    QVERIFY(near(colorAt(ColorMapName::Magma, 1.0), 0.987053, 0.991438, 0.749504));
    QVERIFY(near(colorAt(ColorMapName::Viridis, 0.0), 0.267004, 0.004874, 0.329415));
    QVERIFY(near(colorAt(ColorMapName::Viridis, 1.0), 0.993248, 0.906157, 0.143936));
    QCOMPARE(colorAt(ColorMapName::Gray, 0.0), QColor(0, 0, 0));
    QCOMPARE(colorAt(ColorMapName::Gray, 1.0), QColor(255, 255, 255));
    // The gradient handed to QCustomPlot reproduces the table entry by entry.
    QCPColorGradient g = colorGradient(ColorMapName::Viridis);
    QCOMPARE(g.levelCount(), 256);
    QCOMPARE(g.color(0.0, QCPRange(0, 1)), colorAt(ColorMapName::Viridis, 0.0).rgb());
    QCOMPARE(g.color(1.0, QCPRange(0, 1)), colorAt(ColorMapName::Viridis, 1.0).rgb());
    QCOMPARE(colorMapFromKey(colorMapKey(ColorMapName::Gray)), ColorMapName::Gray);
}

void TestGuiWidgets::noteNamesFollowScientificPitch() {
    QCOMPARE(noteName(440.0), QStringLiteral("A4"));
    QCOMPARE(noteName(261.6256), QStringLiteral("C4"));
    QCOMPARE(noteName(27.5), QStringLiteral("A0"));
    QCOMPARE(noteName(32.70319566257483), QStringLiteral("C1"));
    QCOMPARE(noteName(466.16), QString::fromUtf8("A\u266F4"));
    QVERIFY(noteName(0.0).isEmpty());
    QCOMPARE(pitchClassName(11), QStringLiteral("B"));
}

void TestGuiWidgets::melAxisIsSlaneysScale() {
    const FrequencyAxis mel(FrequencyScale::Mel, 0, 11025);
    QCOMPARE(mel.toAxis(1000.0), 15.0); // the break of Slaney's scale
    QVERIFY(std::abs(mel.toAxis(500.0) - 7.5) < 1e-12);
    for (double hz : {100.0, 1000.0, 4000.0, 11025.0})
        QVERIFY(std::abs(mel.toHz(mel.toAxis(hz)) - hz) < 1e-9 * hz);
    const FrequencyAxis log(FrequencyScale::Log, 32.7, 4186);
    QCOMPARE(log.toAxis(1024.0), 10.0);
}

void TestGuiWidgets::waveformEnvelopeKeepsASingleSamplePeak() {
    WaveformView view;
    view.resize(800, 200);
    auto y = std::make_shared<Eigen::ArrayXf>(Eigen::ArrayXf::Zero(22050 * 60));
    (*y)[22050 * 37 + 11] = 0.75f; // one sample in a minute: 1650 samples share each pixel
    (*y)[22050 * 12 + 5] = -0.5f;
    view.setSignal(y, 22050.0);
    view.replot();
    QVERIFY(view.renderCount() >= 1);
    double top = 0, bottom = 0;
    int points = 0;
    for (int i = 0; i < view.graphCount(); ++i) {
        for (auto it = view.graph(i)->data()->begin(); it != view.graph(i)->data()->end(); ++it) {
            top = std::max(top, it->value);
            bottom = std::min(bottom, it->value);
            ++points;
        }
    }
    QCOMPARE(top, 0.75);
    QCOMPARE(bottom, -0.5);
    QVERIFY(points <= 2 * view.axisRect()->width()); // one min/max pair per pixel column
}

void TestGuiWidgets::spectrogramRendersOnlyAtPixelSize() {
    SpectrogramView view(Representation::Stft);
    view.resize(900, 300);
    SpectrogramData data;
    auto m = std::make_shared<Eigen::ArrayXXf>(Eigen::ArrayXXf::Zero(65, 20000));
    for (Eigen::Index t = 0; t < m->cols(); ++t)
        (*m)(t % 65, t) = -10.0f * (t % 7);
    data.values = m;
    for (int k = 0; k < 65; ++k)
        data.rowHz.push_back(k * 22050.0 / 128);
    view.setData(data);
    view.replot();
    const int renders = view.renderCount();
    QVERIFY(renders >= 1);
    view.replot(); // nothing changed: no new render
    QCOMPARE(view.renderCount(), renders);
    view.xAxis->setRange(100, 110);
    view.replot();
    QCOMPARE(view.renderCount(), renders + 1);
    // What a cell shows is the matrix's value.
    const Eigen::Index frame = 9000;
    const double t = frame * 512.0 / 22050.0;
    const Eigen::Index row = frame % 65;
    QCOMPARE(view.valueAt(t, data.rowHz[size_t(row)]), double((*m)(row, frame)));
    QCOMPARE(view.frameAt(-1.0), Eigen::Index(-1));
}

void TestGuiWidgets::logAndMelAxesShowTheRightRows() {
    SpectrogramView view(Representation::Stft);
    view.resize(900, 400);
    SpectrogramData data;
    auto m = std::make_shared<Eigen::ArrayXXf>(1025, 50);
    for (Eigen::Index r = 0; r < m->rows(); ++r)
        m->row(r).setConstant(-float(r) / 20);
    data.values = m;
    for (int k = 0; k < 1025; ++k)
        data.rowHz.push_back(k * 22050.0 / 2048);
    view.setData(data);
    for (FrequencyScale scale : {FrequencyScale::Log, FrequencyScale::Mel}) {
        view.setFrequencyScale(scale);
        view.replot();
        const FrequencyAxis axis(scale, 1, 11025);
        for (int row : {1, 10, 93, 500, 1000}) {
            const double u = axis.toAxis(data.rowHz[size_t(row)]);
            QCOMPARE(view.rowAt(u), Eigen::Index(row));
            QCOMPARE(view.valueAt(0.5, u), double((*m)(row, 0)));
        }
        // The axis spans the rows: its top is above the highest bin's centre.
        QVERIFY(view.yAxis->range().upper > axis.toAxis(11025.0));
    }
}

void TestGuiWidgets::cropWindowStaysInsideTheTrack() {
    CropWindow crop;
    crop.setTrackDuration(60.0);
    QSignalSpy changed(&crop, &CropWindow::cropChanged);
    crop.setCrop(50.0, 29.12);
    QCOMPARE(crop.start(), 60.0 - 29.12);
    crop.nudge(-1.0);
    QCOMPARE(crop.start(), 60.0 - 29.12 - 1.0);
    crop.setCrop(-5.0, 10.0);
    QCOMPARE(crop.start(), 0.0);
    QCOMPARE(changed.count(), 3);
    crop.setTrackDuration(8.0); // shorter than the crop: it starts at 0, the rest is padding
    crop.setDuration(29.12);
    QCOMPARE(crop.start(), 0.0);
    QCOMPARE(crop.duration(), 29.12);
}

void TestGuiWidgets::linkedViewsShareOneRange() {
    WaveformView a, b;
    auto y = std::make_shared<Eigen::ArrayXf>(Eigen::ArrayXf::Zero(22050 * 10));
    a.setSignal(y, 22050);
    b.setSignal(y, 22050);
    TimeAxisLink link;
    link.addView(&a);
    link.addView(&b);
    a.xAxis->setRange(2.0, 3.0);
    QCOMPARE(b.xAxis->range().lower, 2.0);
    QCOMPARE(b.xAxis->range().upper, 3.0);
    QCOMPARE(link.range().lower, 2.0);
    a.xAxis->setRange(-4.0, -3.0); // panned past the start: clamped, and b follows
    QCOMPARE(b.xAxis->range().lower, 0.0);
}

QTEST_MAIN(TestGuiWidgets)
#include "test_gui_widgets.moc"
