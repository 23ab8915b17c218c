// core/highlight: the energy highlight of the reference manifest.
#include "core/io/audio.h"
#include "core/crop/highlight.h"

#include <QtTest>

using namespace featurescope;

class TestHighlight : public QObject {
    Q_OBJECT
private slots:
    void findsTheLoudSection() {
        const Audio audio = load(FEATURESCOPE_TEST_DATA "/reference/loud_section.wav");
        HighlightParams p;
        p.seconds = 5.0;
        const Highlight h = findHighlight(audio.mono(), audio.sr, p);
        // The loud tone runs from 20 s to 28 s: a 5 s window lies wholly inside it.
        QVERIFY(h.start_s >= 20.0 && h.start_s + 5.0 <= 28.05);
        QCOMPARE(h.start_s, double(h.start_frame) * 512 / audio.sr);
    }

    void energyIsMeanSquareOfCentredFrames() {
        Eigen::ArrayXf y = Eigen::ArrayXf::Constant(4096, 0.5f);
        const Eigen::ArrayXd e = frameEnergy(y, 2048, 512);
        QCOMPARE(e.size(), Eigen::Index(1 + 4096 / 512));
        QCOMPARE(e[0], 0.25 * 1024 / 2048); // half the first frame is zero padding
        QCOMPARE(e[4], 0.25);
    }

    void tiesGoToTheEarliestStart() {
        const Eigen::ArrayXf flat = Eigen::ArrayXf::Constant(22050 * 10, 0.1f);
        HighlightParams p;
        p.seconds = 2.0;
        p.search_from = 3.0;
        // Inside the track the energy is constant, so the first allowed start wins.
        const Highlight h = findHighlight(flat, 22050, p);
        QCOMPARE(h.start_frame, Eigen::Index(std::ceil(3.0 * 22050 / 512)));
    }

    void searchRangeIsRespected() {
        Eigen::ArrayXf y = Eigen::ArrayXf::Constant(22050 * 20, 0.01f);
        y.segment(22050 * 2, 22050 * 2).setConstant(0.9f);  // loud at 2-4 s
        y.segment(22050 * 12, 22050 * 2).setConstant(0.5f); // less loud at 12-14 s
        HighlightParams p;
        p.seconds = 2.0;
        QVERIFY(findHighlight(y, 22050, p).start_s < 4.0);
        p.search_from = 8.0;
        p.search_to = 16.0;
        const Highlight h = findHighlight(y, 22050, p);
        QVERIFY(h.start_s > 11.5 && h.start_s < 12.5);
    }

    void shorterThanTheWindowStartsAtZero() {
        const Highlight h = findHighlight(Eigen::ArrayXf::Constant(22050, 0.3f), 22050);
        QCOMPARE(h.start_frame, Eigen::Index(0));
    }

    void silenceIsFinite() {
        const Eigen::ArrayXd scores =
            highlightScores(Eigen::ArrayXf::Zero(22050 * 4), 22050, HighlightParams{1.0, 512, 2048, {}, {}});
        QVERIFY(scores.isFinite().all());
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Zero(22050);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, findHighlight(y, 0.0));
        HighlightParams p;
        p.seconds = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, findHighlight(y, 22050, p));
        p.seconds = 0.5;
        p.search_from = 100.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, findHighlight(y, 22050, p));
    }
};

QTEST_GUILESS_MAIN(TestHighlight)
#include "test_highlight.moc"
