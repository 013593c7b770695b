"""Real files nobody here wrote (``../shared/corpus/pptx``): each is analysed or refused with a
specific message, never another exception, and within the time limit. Plus the command line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chapterdesk.__main__ import main
from chapterdesk.decks import CustomerFacts, DeckRefused, check_deck
from chapterdesk.decks.samples import chapter_deck, rule_breaking_deck
from chapterdesk.domain.decks import DeckReport, Severity

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pptx"
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file()) if CORPUS.is_dir() else []
LIMIT_S = 20.0  # the checker's deadline
AIM_S = 5.0  # benchmarks/README.md: no corpus file over 5 s

# Files whose outcome is known: the refusal's beginning, or the number of slides analysed.
EXPECTED: dict[str, str | int] = {
    "testPPT.thmx": "This is an Office theme (.thmx)",
    "clusterfuzz-testcase-minimized-POIFuzzer-5205835528404992.pptx": "The deck is damaged",
    "clusterfuzz-testcase-minimized-POIXSLFFuzzer-5471515212382208.pptx": "The deck is damaged",
    "clusterfuzz-testcase-minimized-POIXSLFFuzzer-6254434927378432.pptx": "The deck is damaged",
    "testPPT.pptx": 3,
    "testPPT.pptm": 3,
    "testPPT.ppsx": 3,
    "bug59273.potx": 1,
    "2411-Performance_Up.pptx": 48,
}
# Messages that would mean "something failed and we did not say what".
VAGUE = ("error", "exception", "traceback", "unknown")


def _corpus_or_skip() -> None:
    if FILES:
        return
    reason = f"the shared test corpus is not at {CORPUS} (checked out beside the project)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + "; CI must have it")
    pytest.skip(reason)


def analyse(path: Path) -> tuple[DeckReport | None, str, float]:
    """(report, refusal message, seconds) for one file; any other exception fails the test."""
    start = time.perf_counter()
    try:
        report = check_deck(
            path.read_bytes(),
            path.name,
            company="Apache Software Foundation",
            company_domain="apache.org",
            customers=[CustomerFacts("Microsoft"), CustomerFacts("Cisco Systems", True)],
            deadline_s=LIMIT_S,
        )
        return report, "", time.perf_counter() - start
    except DeckRefused as refused:
        return None, refused.message, time.perf_counter() - start


@pytest.mark.parametrize("path", FILES or [None], ids=[p.name for p in FILES] or ["absent"])
def test_corpus_file_is_analysed_or_refused_clearly(path: Path | None) -> None:
    _corpus_or_skip()
    assert path is not None
    report, message, seconds = analyse(path)
    assert seconds < AIM_S, f"{path.name} took {seconds:.1f} s"
    expected = EXPECTED.get(path.name)
    if report is None:
        assert message and not message.lower().startswith(VAGUE), message
        assert len(message) < 400
        if expected is not None:
            assert isinstance(expected, str) and message.startswith(expected), message
        return
    assert expected is None or len(report.slides) == expected, len(report.slides)
    keys = [(f.slide, f.rule_id, f.where, f.text) for f in report.findings]
    assert len(keys) == len(set(keys))
    assert all(0 <= f.slide <= len(report.slides) for f in report.findings)
    assert all(f.why and len(f.where) <= 64 for f in report.findings)
    json.dumps(report.to_dict())


def test_clusterfuzz_files_are_refused_or_analysed_without_exceptions() -> None:
    _corpus_or_skip()
    fuzzed = [p for p in FILES if p.name.startswith(("clusterfuzz", "crash"))]
    assert fuzzed, "the corpus has fuzzer cases"
    for path in fuzzed:
        report, message, _seconds = analyse(path)
        assert report is not None or message.startswith("The deck is damaged: "), message


def test_macro_decks_are_flagged() -> None:
    _corpus_or_skip()
    for name in ("SimpleMacro.pptm", "keyframes.pptx"):
        report, _message, _seconds = analyse(CORPUS / name)
        assert report is not None
        assert any(f.where == "macros" and f.severity is Severity.WARNING for f in report.findings)


def test_a_theme_file_serves_as_a_template() -> None:
    _corpus_or_skip()
    theme = (CORPUS / "testPPT.thmx").read_bytes()
    report = check_deck((CORPUS / "testPPT.pptx").read_bytes(), "testPPT.pptx", template=theme)
    assert not [f for f in report.findings if f.rule_id == "DECK-1"]


# ------------------------------------------------------------------------------ command line


@pytest.fixture
def decks(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "clean": tmp_path / "clean.pptx",
        "bad": tmp_path / "bad.pptx",
        "pdf": tmp_path / "slides.pptx",
        "customers": tmp_path / "customers.txt",
    }
    paths["clean"].write_bytes(chapter_deck(4))
    paths["bad"].write_bytes(rule_breaking_deck())
    paths["pdf"].write_bytes(b"%PDF-1.7\n")
    paths["customers"].write_text(
        "# customers of the chapter\nFabrikam Inc.\nNorthwind Traders | registered\n",
        encoding="utf-8",
    )
    return paths


def test_cli_exit_0_when_no_rule_is_broken(
    decks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deck", "check", str(decks["clean"])]) == 0
    assert "No rule broken" in capsys.readouterr().out


def test_cli_exit_1_when_a_rule_is_broken(
    decks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["deck", "check", str(decks["bad"]), "--company", "Contoso Consulting"]
    args += ["--domain", "contoso.com", "--customers", str(decks["customers"])]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "Rules broken: DECK-1, DECK-2, DECK-3, DECK-4" in out
    assert "slide 2  DECK-3  BREAKS RULE  table" in out


def test_cli_sponsor_is_exempt_from_DECK_1(
    decks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deck", "check", str(decks["bad"]), "--sponsor", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    deck_1 = [f for f in data["findings"] if f["rule_id"] == "DECK-1"]
    assert [f["severity"] for f in deck_1] == ["info"]


def test_cli_json_parses(decks: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deck", "check", str(decks["clean"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["filename"] == "clean.pptx" and len(data["slides"]) == 4
    assert data["breaks_rules"] is False and len(data["sha256"]) == 64


def test_cli_exit_2_when_refused(
    decks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deck", "check", str(decks["pdf"]), "--json"]) == 2
    captured = capsys.readouterr()
    assert "slides.pptx: refused: This is a PDF" in captured.err
    assert json.loads(captured.out)["refused"].startswith("This is a PDF")


def test_cli_exit_2_for_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deck", "check", str(tmp_path / "nope.pptx")]) == 2
    assert "nope.pptx" in capsys.readouterr().err


def test_cli_imports_neither_qt_nor_sqlalchemy(decks: dict[str, Path]) -> None:
    code = (
        "import sys\n"
        "from chapterdesk.__main__ import main\n"
        f"status = main(['deck', 'check', {str(decks['clean'])!r}])\n"
        "heavy = [m for m in ('PySide6', 'sqlalchemy', 'sqlcipher3') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
