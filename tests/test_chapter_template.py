"""The chapter's own slide template (DECK-1), set in the chapter settings: partners' decks are
compared with it; a file that is not a template is refused naming the rule; back to the default
in one step; synced like the rest."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from chapterdesk.decks.samples import DeckBuilder, chapter_deck
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import decks, meetings, templates
from chapterdesk.store.models import ChapterTemplate, Organisation, OutboxEntry
from tests.world import World


def office_template() -> bytes:
    """A chapter whose template is PowerPoint's own Office theme."""
    deck = DeckBuilder(office=True)
    deck.slide("Chapter meeting", ["Agenda"], layout=0)
    return deck.build()


def deck1_findings(world: World, data: bytes) -> list[str]:
    with world.store.session() as s:
        contoso = s.scalar(select(Organisation.id).where(Organisation.name == "Contoso Consulting"))
        assert contoso is not None
        slot = decks.create_slot(
            s, world.leader, world.meeting, "Year-end close", contoso, world.people["Pat"]
        )
        version = decks.add_version(s, world.leader, slot, "deck.pptx", data).id
    with world.store.session() as s:
        decks.analyse_version(s, world.leader, version)
        return [
            f.text for f in decks.list_findings(s, world.leader, version) if f.rule_id == "DECK-1"
        ]


def test_decks_are_compared_with_the_chapters_own_template(world: World) -> None:
    assert deck1_findings(world, chapter_deck(3)) == []  # the default template: nothing to find
    template = office_template()  # once: a saved file's bytes carry its time
    with world.store.session() as s:
        digest = templates.set_chapter_template(
            s, world.leader, world.chapter, "Ottawa chapter.potx", template
        )
        settings = meetings.chapter_settings(s, world.leader, world.chapter)
        assert settings.template_name == "Ottawa chapter.potx"
        queued = s.scalars(
            select(OutboxEntry.entity).where(OutboxEntry.entity == "chapter_templates")
        ).all()
        assert queued == ["chapter_templates"]  # the file goes to the server with the next sync
    assert deck1_findings(world, chapter_deck(3))  # not the chapter's template now
    assert deck1_findings(world, office_template()) == []
    with world.store.session() as s:
        templates.use_default_template(s, world.leader, world.chapter)
        assert meetings.chapter_settings(s, world.leader, world.chapter).template_name == ""
        # the file stays on record, once per content
        templates.set_chapter_template(s, world.leader, world.chapter, "again.potx", template)
        rows = s.scalars(select(ChapterTemplate.sha256)).all()
        assert rows == [digest]
        templates.use_default_template(s, world.leader, world.chapter)
    assert deck1_findings(world, chapter_deck(3)) == []


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"not a deck at all", "cannot be the chapter's template"), (b"", "cannot be")],
)
def test_a_file_that_is_not_a_template_is_refused_naming_deck_1(
    world: World, data: bytes, words: str
) -> None:
    with world.store.session() as s, pytest.raises(RuleViolation) as refused:
        templates.set_chapter_template(s, world.leader, world.chapter, "notes.txt", data)
    assert refused.value.rule_id == "DECK-1" and words in refused.value.message


def test_only_leaders_set_the_template(world: World) -> None:
    with world.store.session() as s, pytest.raises(PermissionDenied):
        templates.set_chapter_template(
            s, world.volunteer(), world.chapter, "t.potx", office_template()
        )


@pytest.mark.gui
def test_the_settings_dialog_chooses_the_template(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QPushButton

    from chapterdesk.services.views import ChapterSettings
    from chapterdesk.ui.meetings.settings_dialog import LimitsDialog

    dialog = LimitsDialog(ChapterSettings(2, 1, 10, 36, "Ottawa.potx"))
    qtbot.addWidget(dialog)
    assert dialog.template_label.text() == "Ottawa.potx" and dialog.template_choice() is None
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: ("/tmp/New chapter.potx", "")
    )
    dialog.findChild(QPushButton, "chooseTemplate").click()
    assert dialog.template_choice() == "/tmp/New chapter.potx"
    assert dialog.template_label.text() == "New chapter.potx"
    dialog.findChild(QPushButton, "defaultTemplate").click()
    assert dialog.template_choice() == ""
    assert dialog.template_label.text() == "ChapterDesk's default chapter template"
