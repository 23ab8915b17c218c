<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>featurescope::ExportDialog</name>
    <message>
        <source>Export the crop</source>
        <translation>크롭 내보내기</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>내보낼 폴더</translation>
    </message>
    <message>
        <source>Frame table (CSV)</source>
        <translation>프레임 표 (CSV)</translation>
    </message>
    <message>
        <source>Summary row (CSV)</source>
        <translation>요약 행 (CSV)</translation>
    </message>
    <message>
        <source>Picture of the views (PNG)</source>
        <translation>화면 그림 (PNG)</translation>
    </message>
    <message>
        <source>Vector picture of each view (SVG and PDF)</source>
        <translation>보기마다 벡터 그림 (SVG와 PDF)</translation>
    </message>
    <message>
        <source>Matrices for a CNN (.npy, float32, librosa orientation)</source>
        <translation>CNN용 행렬 (.npy, float32, librosa 방향)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>폴더</translation>
    </message>
</context>
<context>
    <name>featurescope::FeatureCurveView</name>
    <message>
        <source>z-score</source>
        <translation>z-점수</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 초</translation>
    </message>
</context>
<context>
    <name>FrequencyAxis</name>
    <message>
        <source>Pitch class</source>
        <translation>피치 클래스</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>음이름</translation>
    </message>
    <message>
        <source>Frequency (Hz)</source>
        <translation>주파수 (Hz)</translation>
    </message>
</context>
<context>
    <name>featurescope::MainWindow</name>
    <message>
        <source>Featurescope</source>
        <translation>Featurescope</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Analysis cancelled</source>
        <translation>분석이 취소되었습니다</translation>
    </message>
    <message>
        <source>Warning: %1: %2</source>
        <translation>경고: %1: %2</translation>
    </message>
    <message>
        <source>Summary over the crop</source>
        <translation>크롭 구간 요약</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>The language changes the next time Featurescope starts.</source>
        <translation>언어는 Featurescope를 다음에 시작할 때 바뀝니다.</translation>
    </message>
    <message>
        <source>Analysing %1…</source>
        <translation>%1 분석 중…</translation>
    </message>
    <message>
        <source>Invalid setting</source>
        <translation>잘못된 설정</translation>
    </message>
    <message>
        <source>%1 — Featurescope</source>
        <translation>%1 — Featurescope</translation>
    </message>
    <message>
        <source>Cannot open file</source>
        <translation>파일을 열 수 없습니다</translation>
    </message>
    <message>
        <source>Featurescope could not open
%1

%2</source>
        <translation>Featurescope가 다음 파일을 열지 못했습니다
%1

%2</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>폴더 %1을(를) 만들 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1을(를) 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>%1(으)로 내보내는 중…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s)</source>
        <translation><numerusform>파일 %n개를 내보냈습니다</numerusform></translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>내보내기 실패: %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Crop</source>
        <translation>크롭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>재생(&amp;P)</translation>
    </message>
    <message>
        <source>Choose feature curves…</source>
        <translation>특징 곡선 선택…</translation>
    </message>
    <message>
        <source>z-normalise curves</source>
        <translation>곡선 z-정규화</translation>
    </message>
    <message>
        <source>Zoom to whole track</source>
        <translation>트랙 전체 보기</translation>
    </message>
    <message>
        <source>Length %1 s</source>
        <translation>길이 %1 초</translation>
    </message>
    <message>
        <source>Custom length…</source>
        <translation>길이 직접 입력…</translation>
    </message>
    <message>
        <source>Snap to energy &amp;highlight</source>
        <translation>에너지 하이라이트로 이동(&amp;H)</translation>
    </message>
    <message>
        <source>Nudge earlier</source>
        <translation>조금 앞으로</translation>
    </message>
    <message>
        <source>Nudge later</source>
        <translation>조금 뒤로</translation>
    </message>
    <message>
        <source>Nudge earlier by 1 s</source>
        <translation>1초 앞으로</translation>
    </message>
    <message>
        <source>Nudge later by 1 s</source>
        <translation>1초 뒤로</translation>
    </message>
    <message>
        <source>Play / pause the crop</source>
        <translation>크롭 재생 / 일시정지</translation>
    </message>
    <message>
        <source>Play the whole track</source>
        <translation>트랙 전체 재생</translation>
    </message>
    <message>
        <source>Play the harmonic layer (crop)</source>
        <translation>하모닉 성분 재생 (크롭)</translation>
    </message>
    <message>
        <source>Play the percussive layer (crop)</source>
        <translation>퍼커시브 성분 재생 (크롭)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <source>Open audio file</source>
        <translation>오디오 파일 열기</translation>
    </message>
    <message>
        <source>Audio (*.wav *.flac *.ogg *.oga *.opus *.mp3 *.aiff *.aif);;All files (*)</source>
        <translation>오디오 (*.wav *.flac *.ogg *.oga *.opus *.mp3 *.aiff *.aif);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Crop length</source>
        <translation>크롭 길이</translation>
    </message>
    <message>
        <source>Crop length in seconds:</source>
        <translation>크롭 길이 (초):</translation>
    </message>
    <message>
        <source>Feature curves</source>
        <translation>특징 곡선</translation>
    </message>
</context>
<context>
    <name>featurescope::OnsetView</name>
    <message>
        <source>beats</source>
        <translation>비트</translation>
    </message>
    <message>
        <source>onset strength</source>
        <translation>온셋 강도</translation>
    </message>
    <message>
        <source>Onset strength</source>
        <translation>온셋 강도</translation>
    </message>
    <message>
        <source>Onset strength, beats — tempo %1 BPM</source>
        <translation>온셋 강도, 비트 — 템포 %1 BPM</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 초</translation>
    </message>
    <message>
        <source>   onset strength %1</source>
        <translation>   온셋 강도 %1</translation>
    </message>
</context>
<context>
    <name>featurescope::Player</name>
    <message>
        <source>No audio output device: playback is off; everything else works.</source>
        <translation>오디오 출력 장치가 없습니다: 재생은 꺼지고 나머지 기능은 모두 동작합니다.</translation>
    </message>
    <message>
        <source>The audio device cannot play %1 Hz mono float audio.</source>
        <translation>오디오 장치가 %1 Hz 모노 float 오디오를 재생할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>featurescope::SettingsPanel</name>
    <message>
        <source>sr / 2</source>
        <translation>sr / 2</translation>
    </message>
    <message>
        <source>%1 (default %2, fitted below sr / 2)</source>
        <translation>%1 (기본값 %2, sr / 2 아래로 맞춤)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>선형</translation>
    </message>
    <message>
        <source>log</source>
        <translation>로그</translation>
    </message>
    <message>
        <source>mel</source>
        <translation>멜</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>컬러맵</translation>
    </message>
    <message>
        <source>Frequency axis</source>
        <translation>주파수 축</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>&lt;b&gt;Analysis&lt;/b&gt; (librosa names)</source>
        <translation>&lt;b&gt;분석&lt;/b&gt; (librosa 매개변수 이름)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Display&lt;/b&gt;</source>
        <translation>&lt;b&gt;표시&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>featurescope::SpectrogramView</name>
    <message>
        <source>STFT</source>
        <translation>STFT</translation>
    </message>
    <message>
        <source>Mel spectrogram</source>
        <translation>멜 스펙트로그램</translation>
    </message>
    <message>
        <source>CQT</source>
        <translation>CQT</translation>
    </message>
    <message>
        <source>Chroma</source>
        <translation>크로마</translation>
    </message>
    <message>
        <source>Harmonic (HPSS)</source>
        <translation>하모닉 (HPSS)</translation>
    </message>
    <message>
        <source>Percussive (HPSS)</source>
        <translation>퍼커시브 (HPSS)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 초</translation>
    </message>
    <message>
        <source>   %1 Hz (%2)</source>
        <translation>   %1 Hz (%2)</translation>
    </message>
</context>
<context>
    <name>featurescope::TimeView</name>
    <message>
        <source>Time (s)</source>
        <translation>시간 (초)</translation>
    </message>
</context>
<context>
    <name>featurescope::ViewStack</name>
    <message>
        <source>Waveform</source>
        <translation>파형</translation>
    </message>
    <message>
        <source>STFT (dB)</source>
        <translation>STFT (dB)</translation>
    </message>
    <message>
        <source>Mel spectrogram (dB)</source>
        <translation>멜 스펙트로그램 (dB)</translation>
    </message>
    <message>
        <source>CQT (dB)</source>
        <translation>CQT (dB)</translation>
    </message>
    <message>
        <source>Chroma (CQT, harmonic)</source>
        <translation>크로마 (CQT, 하모닉)</translation>
    </message>
    <message>
        <source>Harmonic layer (dB)</source>
        <translation>하모닉 성분 (dB)</translation>
    </message>
    <message>
        <source>Percussive layer (dB)</source>
        <translation>퍼커시브 성분 (dB)</translation>
    </message>
    <message>
        <source>Feature curves</source>
        <translation>특징 곡선</translation>
    </message>
    <message>
        <source>Onsets and beats</source>
        <translation>온셋과 비트</translation>
    </message>
</context>
<context>
    <name>featurescope::WaveformView</name>
    <message>
        <source>Amplitude</source>
        <translation>진폭</translation>
    </message>
    <message>
        <source>%1 s   amplitude %2</source>
        <translation>%1 초   진폭 %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>A microscope for audio features.</source>
        <translation>오디오 특징을 들여다보는 현미경.</translation>
    </message>
    <message>
        <source>Render the window to &lt;png&gt; once the analysis is done, then exit.</source>
        <translation>분석이 끝나면 창을 &lt;png&gt;로 저장하고 종료합니다.</translation>
    </message>
    <message>
        <source>Print the time from opening &lt;file&gt; to the first spectrogram on screen, then exit.</source>
        <translation>&lt;file&gt;을 열어 첫 스펙트로그램이 화면에 나올 때까지의 시간을 출력하고 종료합니다.</translation>
    </message>
    <message>
        <source>Print the time of one pan frame over a one-minute and a one-hour signal, then exit.</source>
        <translation>1분과 1시간 신호에서 이동 한 프레임을 그리는 시간을 출력하고 종료합니다.</translation>
    </message>
    <message>
        <source>Audio file to open.</source>
        <translation>열 오디오 파일.</translation>
    </message>
</context>
</TS>
