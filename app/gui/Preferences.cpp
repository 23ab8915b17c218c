#include "app/gui/Preferences.h"

#include <QFileInfo>

namespace featurescope {

AnalysisSettings loadAnalysisSettings(const QSettings& store) {
    AnalysisSettings s;
    s.sr = store.value("analysis/sr", s.sr).toDouble();
    s.n_fft = store.value("analysis/n_fft", s.n_fft).toInt();
    s.hop_length = store.value("analysis/hop_length", s.hop_length).toInt();
    s.n_mels = store.value("analysis/n_mels", s.n_mels).toInt();
    if (store.contains("analysis/mel_fmax"))
        s.mel_fmax = store.value("analysis/mel_fmax").toDouble();
    s.fmin = store.value("analysis/fmin", s.fmin).toDouble();
    s.n_bins = store.value("analysis/n_bins", s.n_bins).toInt();
    s.bins_per_octave = store.value("analysis/bins_per_octave", s.bins_per_octave).toInt();
    s.kernel_size = store.value("analysis/kernel_size", s.kernel_size).toInt();
    s.margin = store.value("analysis/margin", s.margin).toDouble();
    s.top_db = store.value("analysis/top_db", s.top_db.value_or(80.0)).toDouble();
    try {
        s.validate();
    } catch (const std::invalid_argument&) {
        return AnalysisSettings{}; // a hand-edited, broken file: start from the defaults
    }
    return s;
}

void saveAnalysisSettings(QSettings& store, const AnalysisSettings& s) {
    store.setValue("analysis/sr", s.sr);
    store.setValue("analysis/n_fft", s.n_fft);
    store.setValue("analysis/hop_length", s.hop_length);
    store.setValue("analysis/n_mels", s.n_mels);
    if (s.mel_fmax)
        store.setValue("analysis/mel_fmax", *s.mel_fmax);
    else
        store.remove("analysis/mel_fmax");
    store.setValue("analysis/fmin", s.fmin);
    store.setValue("analysis/n_bins", s.n_bins);
    store.setValue("analysis/bins_per_octave", s.bins_per_octave);
    store.setValue("analysis/kernel_size", s.kernel_size);
    store.setValue("analysis/margin", s.margin);
    store.setValue("analysis/top_db", s.top_db.value_or(80.0));
}

QStringList loadRecentFiles(const QSettings& store) {
    QStringList out;
    for (const QString& p : store.value("recentFiles").toStringList())
        if (QFileInfo::exists(p) && out.size() < kMaxRecent) out.append(p);
    return out;
}

QStringList addRecentFile(QSettings& store, const QString& path) {
    QStringList list = loadRecentFiles(store);
    const QString absolute = QFileInfo(path).absoluteFilePath();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxRecent)
        list.removeLast();
    store.setValue("recentFiles", list);
    return list;
}

} // namespace featurescope
