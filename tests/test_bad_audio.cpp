// core/audio on damaged files: rates that are not audio, decoder errors part way, headers that
// promise more frames than the file holds, and each file's own reason when opened side by side.
#include "core/audio.h"
#include "core/sound_file.h"
#include "tests/support/test_support.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

using namespace featurescope;
using namespace testsupport;

class TestBadAudio : public QObject {
    Q_OBJECT
private slots:
    void theResamplerNeedsMemoryForItsInputOnly() {
        // 64 samples at 1 Hz to 22050 Hz are 1.4 M samples out; the output buffer was sized for
        // a whole block (65536 frames) times the ratio: 5.7 GB. A child process gets 1 GiB of
        // address space more than it has.
        long pages = 0;
        std::ifstream("/proc/self/statm") >> pages;
        QVERIFY(pages > 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            const rlim_t limit = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + (rlim_t(1) << 30);
            const rlimit cap{limit, limit};
            if (setrlimit(RLIMIT_AS, &cap) != 0) _exit(4);
            try {
                const Eigen::ArrayXf y =
                    resample(Eigen::ArrayXf(Eigen::ArrayXf::Ones(64)), 1, 22050);
                _exit(y.size() == 64 * 22050 ? 0 : 3);
            } catch (...) {
                _exit(2);
            }
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY2(WIFEXITED(status), "the child died");
        QCOMPARE(WEXITSTATUS(status), 0); // 2: out of memory, 3: wrong length
    }
};

QTEST_GUILESS_MAIN(TestBadAudio)
#include "test_bad_audio.moc"
