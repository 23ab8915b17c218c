#include "app/extract/tables.h"

#include "core/pipeline/analysis.h"
#include "core/export/atomic_file.h"
#include "core/export/csv.h"
#include "core/dataset/standardize.h"

#include <cmath>
#include <stdexcept>

namespace featurescope::extract {

namespace {
constexpr std::size_t kFirstFeature = kUnscaledColumns;
} // namespace

std::vector<std::string> summaryColumnsFor(const AnalysisSettings& settings) {
    Audio silence;
    silence.sr = settings.sr;
    silence.samples = Eigen::ArrayXXf::Zero(1, static_cast<Eigen::Index>(settings.sr));
    AnalysisSettings s = settings;
    s.threads = 1;
    return summaryColumns(summarize(*runAnalysis(silence, s)));
}

void writeSummaryTables(const std::filesystem::path& outdir, const std::string& summary,
                        const std::optional<std::filesystem::path>& scaler_path) {
    writeFileAtomically(outdir / "summary.csv", summary);
    const auto rows = parseCsv(summary);
    if (rows.empty() || rows[0].size() <= kFirstFeature) return;
    const std::vector<std::string> columns(rows[0].begin() + kFirstFeature, rows[0].end());
    const auto n = static_cast<Eigen::Index>(columns.size());
    Eigen::ArrayXXd table(static_cast<Eigen::Index>(rows.size() - 1), n);
    for (std::size_t r = 1; r < rows.size(); ++r)
        for (Eigen::Index c = 0; c < n; ++c) {
            const std::size_t field = kFirstFeature + static_cast<std::size_t>(c);
            table(static_cast<Eigen::Index>(r - 1), c) =
                field < rows[r].size() ? parseNumber(rows[r][field]).value_or(NAN) : NAN;
        }
    if (table.rows() == 0 && !scaler_path) return;
    const Scaler scaler = scaler_path ? readScaler(*scaler_path) : fitScaler(table, columns);
    if (scaler.columns != columns)
        throw std::runtime_error(scaler_path->string() + ": its columns differ from summary.csv's");
    // Given or fitted, the scaler beside summary_z.csv is the one that made it.
    writeFileAtomically(outdir / "scaler.csv", scalerCsv(scaler));
    const Eigen::ArrayXXd z = standardize(table, scaler);
    std::string text;
    for (std::size_t i = 0; i < rows[0].size(); ++i)
        text += (i ? "," : "") + csvField(rows[0][i]);
    text += '\n';
    for (std::size_t r = 1; r < rows.size(); ++r) {
        for (std::size_t i = 0; i < kFirstFeature; ++i)
            text += (i ? "," : "") + csvField(i < rows[r].size() ? rows[r][i] : "");
        for (Eigen::Index c = 0; c < n; ++c)
            text += "," + formatNumber(z(static_cast<Eigen::Index>(r - 1), c));
        text += '\n';
    }
    writeFileAtomically(outdir / "summary_z.csv", text);
}

} // namespace featurescope::extract
