"""The deck rules, one test per rule id, on decks the tests build with python-pptx.

Decks start from the chapter template (``DeckBuilder()``) so only the rule under test fires,
or from python-pptx's Office default (``office=True``) when DECK-1 is the point.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from chapterdesk.decks import (
    CustomerFacts,
    DeckRefused,
    PhraseFileError,
    TemplateSignature,
    check_deck,
)
from chapterdesk.decks.samples import DeckBuilder, chapter_deck, rule_breaking_deck
from chapterdesk.decks.signature import default_signature, default_template
from chapterdesk.domain.decks import DeckReport, Finding, Severity

COMPANY = {"company": "Contoso Consulting Ltd", "company_domain": "contoso.com"}


def check(data: bytes, **kwargs: object) -> DeckReport:
    return check_deck(data, "deck.pptx", **kwargs)  # type: ignore[arg-type]


def of(report: DeckReport, rule: str, severity: Severity | None = None) -> list[Finding]:
    return [
        f
        for f in report.findings
        if f.rule_id == rule and (severity is None or f.severity is severity)
    ]


def one_slide(*body: str, title: str = "Bank reconciliation", **slide: object) -> bytes:
    deck = DeckBuilder()
    deck.slide(title, body, **slide)  # type: ignore[arg-type]
    return deck.build()


# ------------------------------------------------------------------------------ clean decks


def test_a_clean_deck_on_the_chapter_template_breaks_no_rule() -> None:
    report = check(chapter_deck(12), **COMPANY)
    assert not report.breaks_rules
    assert [f for f in report.findings if f.severity is not Severity.INFO] == []
    assert len(report.slides) == 12
    assert report.slides[1].title == "Step 2: configure the ledger"
    assert report.slides[1].layout == "Chapter Title and Content"


def test_the_report_names_the_exact_bytes_DECK_5() -> None:
    import hashlib

    data = chapter_deck(3)
    assert check(data).sha256 == hashlib.sha256(data).hexdigest()


def test_the_shipped_template_is_16_9_with_named_layouts_DECK_1() -> None:
    signature = default_signature()
    assert (signature.width, signature.height) == (12_192_000, 6_858_000)
    [master] = signature.masters
    assert master.name == "ChapterDesk Chapter"
    assert (master.major_font, master.minor_font) == ("Segoe UI Semibold", "Segoe UI")
    assert "Chapter Title and Content" in master.layouts
    assert not check(default_template()).breaks_rules  # the template passes its own check


# ------------------------------------------------------------------------------ DECK-1


def test_office_default_template_breaks_DECK_1() -> None:
    deck = DeckBuilder(office=True)
    deck.slide("Posting profiles", ["General ledger"])
    report = check(deck.build())
    deck_1 = of(report, "DECK-1", Severity.BREAKS_RULE)
    assert {f.where for f in deck_1} == {"slide size", "master"}
    master = next(f for f in deck_1 if f.where == "master")
    assert master.text == "Office Theme" and master.slide == 0
    assert "Slide 1 uses the master “Office Theme”" in master.why


def test_foreign_layout_DECK_1() -> None:
    deck = DeckBuilder()
    deck.slide("Agenda", ["Ledger"])
    odd = deck.slide("Our way of doing it", ["A pasted slide"], layout=3)
    deck.slide("Summary", ["Close"])
    # The pasted slide's layout is renamed: a layout the chapter template does not have.
    odd.slide_layout._element.cSld.set("name", "Vendor Two Column")
    report = check(deck.build())
    [finding] = of(report, "DECK-1")
    assert (finding.slide, finding.severity, finding.where) == (2, Severity.BREAKS_RULE, "layout")
    assert finding.text == "Vendor Two Column"


def test_changed_theme_fonts_and_colours_DECK_1() -> None:
    deck = DeckBuilder()
    deck.slide("Agenda", ["Ledger"])
    theme = deck.prs.slide_master.part.part_related_by(RT.THEME)
    theme.blob = (
        theme.blob.replace(b'typeface="Segoe UI Semibold"', b'typeface="Comic Sans MS"')
        .replace(b'typeface="Segoe UI"', b'typeface="Arial"')
        .replace(b'val="0F6CBD"', b'val="FF0000"')
    )
    report = check(deck.build())
    by_where = {f.where: f for f in of(report, "DECK-1", Severity.BREAKS_RULE)}
    assert by_where["theme fonts"].text == "Comic Sans MS / Arial"
    assert "accent1 #FF0000" in by_where["theme colours"].text
    assert "accent1 #0F6CBD" in by_where["theme colours"].why


def test_sponsor_exempt_PRT_5() -> None:
    deck = DeckBuilder(office=True)
    deck.slide("Posting profiles", ["General ledger"])
    report = check(deck.build(), sponsor=True)
    [finding] = of(report, "DECK-1")
    assert finding.severity is Severity.INFO
    assert "Paid Annual Chapter Sponsor" in finding.text and "PRT-5" in finding.why
    assert "“Office Theme”" in finding.why
    assert not report.breaks_rules


def test_template_given_as_file_or_signature_DECK_1() -> None:
    office = DeckBuilder(office=True)
    office.slide("Posting profiles", ["General ledger"])
    office_bytes = office.build()
    # An Office-template chapter: the Office deck passes, a chapter-template deck does not.
    assert not of(check(office_bytes, template=office_bytes), "DECK-1")
    signature = TemplateSignature.from_dict(default_signature().to_dict())
    assert signature == default_signature()
    assert of(check(office_bytes, template=signature), "DECK-1", Severity.BREAKS_RULE)


def test_an_unreadable_template_is_a_warning_not_a_refusal_DECK_1() -> None:
    report = check(chapter_deck(2), template=b"not a template")
    [finding] = of(report, "DECK-1")
    assert finding.severity is Severity.WARNING
    assert "plain text file" in finding.why


# ------------------------------------------------------------------------------ DECK-2


def test_one_company_slide_is_allowed_DECK_2() -> None:
    deck = DeckBuilder()
    deck.slide("About us", ["Contoso Consulting: 40 consultants"])
    deck.slide("Bank reconciliation", ["Match statements to ledger lines"])
    [finding] = of(check(deck.build(), **COMPANY), "DECK-2")
    assert finding.severity is Severity.INFO and finding.slide == 1
    assert "one such slide is allowed" in finding.why


def test_second_company_slide_DECK_2() -> None:
    deck = DeckBuilder()
    deck.slide("Contoso Consulting", ["Dynamics 365 since 2008"])
    deck.slide("Bank reconciliation", ["Match statements to ledger lines"])
    deck.slide("Meet the team", ["Ann, Bob and Chen"])
    deck.slide("Questions?", ["ann.lee@contoso.com", "(613) 555-0199"])
    report = check(deck.build(), **COMPANY)
    deck_2 = of(report, "DECK-2")
    assert [(f.slide, f.severity) for f in deck_2] == [
        (1, Severity.INFO),
        (3, Severity.BREAKS_RULE),
        (4, Severity.BREAKS_RULE),
    ]
    assert deck_2[0].text == "Contoso Consulting"
    assert deck_2[1].text == "Meet the team"
    assert deck_2[2].text == "ann.lee@contoso.com"
    assert "Slides 1, 3, 4 highlight Contoso Consulting Ltd" in deck_2[1].why
    assert "slide 1, the first, is the allowed one" in deck_2[1].why
    assert "contact details (phone)" in deck_2[2].why


def test_company_logo_and_website_count_DECK_2() -> None:
    deck = DeckBuilder()
    logo = deck.slide("Welcome", ["Year-end close in Business Central"])
    deck.picture(logo, "Contoso_Logo_2024.png")
    site = deck.slide("Resources", ["Slides at www.contoso.com"])
    report = check(deck.build(), **COMPANY)
    deck_2 = of(report, "DECK-2")
    assert [(f.slide, f.severity) for f in deck_2] == [
        (1, Severity.INFO),
        (2, Severity.BREAKS_RULE),
    ]
    assert "a logo named after the company" in deck_2[0].why
    assert deck_2[1].text == "www.contoso.com"
    assert site is not None


def test_company_named_once_in_passing_is_not_a_company_slide_DECK_2() -> None:
    data = one_slide("We configured this at Contoso last year", "Then posted the journal")
    assert not of(check(data, **COMPANY), "DECK-2")


# ------------------------------------------------------------------------------ DECK-3


def test_price_in_a_table_is_sales_language_DECK_3() -> None:
    deck = DeckBuilder()
    slide = deck.slide("Licensing", ["Which plan fits"])
    deck.table(slide, [["Plan", "Cost"], ["Premium", "€1.999,00"], ["Add-on", "USD 10k"]])
    report = check(deck.build())
    deck_3 = of(report, "DECK-3", Severity.BREAKS_RULE)
    assert {(f.text, f.where) for f in deck_3} == {("€1.999,00", "table"), ("USD 10k", "table")}
    assert all("Prices" in f.why for f in deck_3)


def test_sales_phrase_in_grouped_shapes_DECK_3() -> None:
    deck = DeckBuilder()
    slide = deck.slide("Month-end", ["Close faster"])
    deck.group(slide, ["Step one", "Book a demo today!"], nested=True)
    [finding] = of(check(deck.build()), "DECK-3")
    assert (finding.slide, finding.text, finding.where) == (1, "Book a demo", "body")
    assert finding.severity is Severity.BREAKS_RULE


def test_hidden_slide_still_counts_DECK_3() -> None:
    deck = DeckBuilder()
    deck.slide("Agenda", ["Ledger"])
    deck.slide("Offer", ["Limited time: 20% off licences"], hidden=True)
    report = check(deck.build())
    deck_3 = of(report, "DECK-3", Severity.BREAKS_RULE)
    assert {f.text for f in deck_3} == {"Limited time", "20% off"}
    assert all(f.slide == 2 and f.where == "body, hidden slide" for f in deck_3)
    assert all("hidden slide" in f.why for f in deck_3)
    assert report.slides[1].hidden
    [hidden] = [f for f in of(report, "FILE") if f.where == "hidden slides"]
    assert hidden.text == "hidden slide 2"


def test_sales_language_in_notes_is_a_warning_DECK_3() -> None:
    data = one_slide("Reconcile", notes="If they ask, contact us after the session.")
    [finding] = of(check(data), "DECK-3")
    assert (finding.severity, finding.where, finding.text) == (
        Severity.WARNING,
        "notes",
        "contact us",
    )
    assert "not shown" in finding.why


def test_a_scripted_pitch_in_notes_breaks_DECK_3() -> None:
    notes = "Mention our free trial, the special offer, and ask them to book a demo."
    report = check(one_slide("Reconcile", notes=notes))
    deck_3 = of(report, "DECK-3")
    assert {f.text for f in deck_3} == {"free trial", "special offer", "book a demo"}
    assert all(f.severity is Severity.BREAKS_RULE and f.where == "notes" for f in deck_3)
    assert "scripts a sales pitch" not in deck_3[0].why  # the sentence reads "script a"
    assert "script a sales pitch" in deck_3[0].why


def test_case_and_accents_do_not_hide_sales_language_DECK_3() -> None:
    data = one_slide("ESSAI GRATUIT de 30 jours", "Contactez-nous", "Kontaktieren Sie uns")
    texts = {f.text for f in of(check(data), "DECK-3", Severity.BREAKS_RULE)}
    assert texts == {"ESSAI GRATUIT", "Contactez-nous", "Kontaktieren Sie uns"}
    accented = one_slide("Prueba gratuíta", "Llámenos hoy")
    texts = {f.text for f in of(check(accented), "DECK-3", Severity.BREAKS_RULE)}
    assert texts == {"Prueba gratuíta", "Llámenos"}


def test_link_to_the_partners_sales_page_DECK_3() -> None:
    deck = DeckBuilder()
    slide = deck.slide("Resources", ["Documentation on Microsoft Learn"])
    deck.link(slide, "Details", "https://shop.contoso.com/pricing?plan=pro")
    deck.link(slide, "Learn", "https://learn.microsoft.com/dynamics365/finance")
    report = check(deck.build(), **COMPANY)
    [sales] = of(report, "DECK-3")
    assert sales.text == "https://shop.contoso.com/pricing?plan=pro"
    assert sales.severity is Severity.BREAKS_RULE and sales.where == "link"
    links = {f.text for f in of(report, "FILE") if f.where == "link"}
    assert "https://learn.microsoft.com/dynamics365/finance" in links


def test_educational_text_is_not_sales_language_DECK_3() -> None:
    data = one_slide(
        "Version 10.0.38 moved the form",
        "Q3 2023: 1,200 journals posted",
        "Set up trade agreements: price and discount journals",
        "Step 3 of 12",
        "RewriteRule ^(.*)$ /cgi-bin/blog.cgi/$1 [L]",
    )
    report = check(data)
    assert not of(report, "DECK-3", Severity.BREAKS_RULE)
    # Dynamics has discount journals: the word is worth a look, never a verdict.
    assert {f.text for f in of(report, "DECK-3")} == {"discount"}


def test_chapter_can_add_phrases_DECK_3(tmp_path: Path) -> None:
    extra = tmp_path / "ours.toml"
    extra.write_text(
        '[[sales]]\nname = "call to action"\nphrases = ["act fast"]\n'
        '[[sales]]\nname = "swag"\nseverity = "warning"\nwhy = "Giveaways need MTG-8."\n'
        'phrases = ["free t-shirt"]\n',
        encoding="utf-8",
    )
    report = check(one_slide("Act fast!", "Free T-shirt at the door"), extra_phrases=extra)
    found = {(f.text, f.severity) for f in of(report, "DECK-3")}
    assert found == {("Act fast", Severity.BREAKS_RULE), ("Free T-shirt", Severity.WARNING)}
    assert any(f.why == "Giveaways need MTG-8." for f in of(report, "DECK-3"))


def test_a_broken_phrase_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sales]]\nname = "x"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(PhraseFileError, match=r"bad\.toml.*\(unclosed"):
        check(chapter_deck(1), extra_phrases=bad)


# ------------------------------------------------------------------------------ DECK-4

CUSTOMERS: Sequence[CustomerFacts] = (
    CustomerFacts("Fabrikam Inc.", registered=False),
    CustomerFacts("Northwind Traders", registered=True, checked_in=False),
    CustomerFacts("Adventure Works Cycles", registered=True, checked_in=True),
    CustomerFacts("ABC", registered=False),  # too short to search for
    CustomerFacts("Target", registered=False),  # an everyday word: capitalised only
)


def test_unregistered_customer_DECK_4() -> None:
    data = one_slide("FABRIKAM closed the year in two days", title="Case study: Fabrikam")
    deck_4 = of(check(data, customers=CUSTOMERS), "DECK-4")
    assert {(f.text, f.where, f.severity) for f in deck_4} == {
        ("Fabrikam", "title", Severity.BREAKS_RULE),
        ("FABRIKAM", "body", Severity.BREAKS_RULE),
    }
    assert "Fabrikam Inc., a customer not registered" in deck_4[0].why


def test_registered_customer_must_be_in_the_room_DECK_4() -> None:
    data = one_slide("Northwind Traders went live", "Adventure Works Cycles too")
    deck_4 = {f.text: f for f in of(check(data, customers=CUSTOMERS), "DECK-4")}
    assert deck_4["Northwind Traders"].severity is Severity.WARNING
    assert "will need to be in the room" in deck_4["Northwind Traders"].why
    assert deck_4["Adventure Works Cycles"].severity is Severity.INFO


def test_customer_names_match_whole_words_only_DECK_4() -> None:
    data = one_slide(
        "Fabrikamware is a product name",
        "ABC analysis of items",
        "Our target date is June",
        "Thanks to Target for hosting",
    )
    deck_4 = of(check(data, customers=CUSTOMERS), "DECK-4")
    assert [(f.text, f.severity) for f in deck_4] == [("Target", Severity.BREAKS_RULE)]


def test_customer_logo_picture_DECK_4() -> None:
    deck = DeckBuilder()
    slide = deck.slide("They trust us", ["Happy customers"])
    deck.picture(slide, "fabrikam_logo.png")
    [finding] = of(check(deck.build(), customers=CUSTOMERS), "DECK-4")
    assert finding.where == "picture" and finding.severity is Severity.BREAKS_RULE


def test_customer_named_in_notes_is_a_warning_DECK_4() -> None:
    data = one_slide("Year-end", notes="Fabrikam did this well")
    [finding] = of(check(data, customers=CUSTOMERS), "DECK-4")
    assert (finding.where, finding.severity) == ("notes", Severity.WARNING)


def test_presenting_company_is_not_its_own_customer_DECK_4() -> None:
    data = one_slide("Contoso Consulting", "Contoso Consulting helps")
    customers = [CustomerFacts("Contoso Consulting Ltd")]
    assert not of(check(data, customers=customers, **COMPANY), "DECK-4")


# ------------------------------------------------------------------------------ FILE


def _with_macros(data: bytes) -> bytes:
    """The deck as a .pptm: macro-enabled content type plus a vbaProject.bin part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            blob = source.read(name)
            if name == "[Content_Types].xml":
                blob = blob.replace(
                    b"presentationml.presentation.main+xml",
                    b"presentationml.presentation.main+xml_",
                ).replace(
                    b"application/vnd.openxmlformats-officedocument."
                    b"presentationml.presentation.main+xml_",
                    b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
                )
                blob = blob.replace(
                    b"</Types>",
                    b'<Override PartName="/ppt/vbaProject.bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/></Types>',
                )
            if name == "ppt/_rels/presentation.xml.rels":
                blob = blob.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/'
                    b'2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            target.writestr(name, blob)
        target.writestr("ppt/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    return out.getvalue()


def test_macros_are_a_warning_FILE() -> None:
    report = check_deck(_with_macros(chapter_deck(2)), "deck.pptx")
    [macros] = [f for f in of(report, "FILE") if f.where == "macros"]
    assert macros.severity is Severity.WARNING and macros.slide == 0
    assert macros.text == "vbaProject.bin"
    assert "although it is named .pptx" in macros.why


def test_media_links_notes_and_hidden_slides_are_reported_FILE() -> None:
    deck = DeckBuilder()
    slide = deck.slide("Demo", ["Watch"], notes="Play the clip")
    slide.shapes.add_movie(
        io.BytesIO(b"\x00\x00\x00\x18ftypmp42 fake"), 0, 0, 100, 100, mime_type="video/mp4"
    )
    deck.link(slide, "Docs", "https://learn.microsoft.com/")
    deck.slide("Backup", ["Spare"], hidden=True)
    report = check(deck.build())
    file_findings = {f.where: f for f in of(report, "FILE")}
    assert file_findings["video"].severity is Severity.WARNING
    assert file_findings["video"].slide == 1
    assert file_findings["link"].text == "https://learn.microsoft.com/"
    assert file_findings["notes"].text == "speaker notes on 1 slide"
    assert file_findings["hidden slides"].text == "hidden slide 2"
    assert not report.breaks_rules


def test_the_rule_breaking_sample_breaks_every_rule() -> None:
    customers = [CustomerFacts("Fabrikam"), CustomerFacts("Northwind Traders", True)]
    report = check(rule_breaking_deck(), customers=customers, **COMPANY)
    broken = {f.rule_id for f in report.findings if f.severity is Severity.BREAKS_RULE}
    assert broken == {"DECK-1", "DECK-2", "DECK-3", "DECK-4"}
    keys = [(f.slide, f.rule_id, f.where, f.text) for f in report.findings]
    assert len(keys) == len(set(keys))  # how a re-check recognises dismissed findings


def test_a_non_deck_is_refused_not_crashed() -> None:
    with pytest.raises(DeckRefused, match="plain text"):
        check(b"hello, this is not a deck")


def test_python_pptx_can_reopen_what_the_builder_makes() -> None:
    prs = Presentation(io.BytesIO(chapter_deck(2)))
    assert len(prs.slides) == 2
