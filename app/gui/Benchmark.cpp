#include "app/gui/Benchmark.h"

#include "app/gui/MainWindow.h"
#include "core/export/number_format.h"
#include "widgets/SpectrogramView.h"
#include "widgets/WaveformView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace featurescope {

int benchmarkOpen(MainWindow& window, const QString& file) {
    QElapsedTimer clock;
    int code = 1;
    QObject::connect(&window, &MainWindow::previewShown, &window, [&] {
        window.replotAll(); // the spectrogram is on screen once this returns
        // Qt has set the C locale from the environment: printf's %f could write a comma.
        std::printf("open_to_first_spectrogram_ms %s\n",
                    formatFixed(clock.nsecsElapsed() / 1e6, 1).c_str());
    });
    QObject::connect(&window, &MainWindow::analysisShown, &window, [&] {
        window.replotAll();
        std::printf("open_to_every_view_ms %s\n",
                    formatFixed(clock.nsecsElapsed() / 1e6, 1).c_str());
        code = 0;
        QApplication::quit();
    });
    QObject::connect(
        &window, &MainWindow::openFailed, &window, [](const QString& path, const QString& reason) {
            std::fprintf(stderr, "featurescope: %s: %s\n", qPrintable(path), qPrintable(reason));
            QApplication::quit();
        });
    window.show();
    clock.start();
    window.openFile(file);
    QApplication::exec();
    return code;
}

namespace {

double medianPanFrameMs(double seconds) {
    constexpr double sr = 22050.0;
    constexpr int hop = 512, bins = 1025;
    // Synthetic data of the real shapes: a noise signal and a dB matrix with structure.
    auto y = std::make_shared<Eigen::ArrayXf>(Eigen::ArrayXf::Random(Eigen::Index(seconds * sr)));
    const auto frames = Eigen::Index(seconds * sr / hop) + 1;
    auto db = std::make_shared<Eigen::ArrayXXf>(bins, frames);
    for (Eigen::Index t = 0; t < frames; ++t)
        db->col(t) = Eigen::ArrayXf::LinSpaced(bins, 0.0f, -80.0f) - float(t % 40);
    QWidget host;
    auto* layout = new QVBoxLayout(&host);
    auto* wave = new WaveformView;
    auto* spec = new SpectrogramView(Representation::Stft);
    layout->addWidget(wave, 1);
    layout->addWidget(spec, 3);
    host.resize(1400, 800);
    host.show();
    wave->setSignal(y, sr);
    SpectrogramData data;
    data.values = db;
    data.sr = sr;
    data.hop_length = hop;
    for (int k = 0; k < bins; ++k)
        data.rowHz.push_back(k * sr / 2048);
    spec->setData(data);
    QApplication::processEvents();

    std::vector<double> ms;
    double start = seconds / 2 - 5;
    for (int i = 0; i < 40; ++i) {
        QElapsedTimer clock;
        clock.start();
        for (TimeView* v : {static_cast<TimeView*>(wave), static_cast<TimeView*>(spec)}) {
            v->xAxis->setRange(start, start + 10.0);
            v->replot(); // builds the visible range at pixel size and draws it
        }
        ms.push_back(clock.nsecsElapsed() / 1e6);
        start += 0.5;
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int benchmarkPan() {
    const double minute = medianPanFrameMs(60.0);
    const double hour = medianPanFrameMs(3600.0);
    std::printf("pan_frame_ms 1min %s 1h %s\n", formatFixed(minute, 2).c_str(),
                formatFixed(hour, 2).c_str());
    return 0;
}

} // namespace featurescope
